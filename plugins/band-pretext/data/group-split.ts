/**
 * Cluster-level partitions (Liang et al. 2021, §3.1: "we ensure that all images of a given
 * galaxy cluster are in the same partition"). Items are indices 0..n-1 with a group id each
 * (`Sample.group`, the cluster); whole groups go to one side.
 */
import type { Rng } from '../../../core/index.js';

/** Distinct groups in order of first appearance. */
function distinct(groups: readonly number[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const g of groups) if (!seen.has(g)) { seen.add(g); out.push(g); }
  return out;
}

/** Indices of `groups` whose group is in `chosen`, ascending. */
function membersOf(groups: readonly number[], chosen: ReadonlySet<number>): number[] {
  const out: number[] = [];
  groups.forEach((g, i) => { if (chosen.has(g)) out.push(i); });
  return out;
}

/**
 * Split items into train and test by group: the distinct groups are shuffled with `rng` and
 * the first round(testFraction * nGroups) (at least 1, at most nGroups - 1) go to test.
 * Returns ascending item indices. Throws with fewer than 2 groups or testFraction outside (0, 1).
 */
export function partitionByGroup(groups: readonly number[], testFraction: number, rng: Rng): { train: number[]; test: number[] } {
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction: expected a number in (0, 1), got ${testFraction}`);
  const ids = distinct(groups);
  if (ids.length < 2) throw new Error(`groups: expected at least 2 distinct groups to split, got ${ids.length}`);
  rng.shuffle(ids);
  const nTest = Math.min(ids.length - 1, Math.max(1, Math.round(testFraction * ids.length)));
  const test = new Set(ids.slice(0, nTest));
  const trainIds = new Set(ids.slice(nTest));
  return { train: membersOf(groups, trainIds), test: membersOf(groups, test) };
}

/**
 * The labelled subset for a label fraction: the distinct groups among `items` are shuffled with
 * `rng` and the first max(1, round(fraction * nGroups)) are kept; returns their items
 * (ascending). With the same `rng` seed, smaller fractions give nested subsets of larger ones,
 * and every model trained at one fraction sees the same clusters (paper §3.2).
 */
export function labelledSubset(items: readonly number[], groups: readonly number[], fraction: number, rng: Rng): number[] {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`labelFraction: expected a number in (0, 1], got ${fraction}`);
  const ids = distinct(items.map((i) => groups[i]));
  if (ids.length === 0) throw new Error('items: expected at least one item to select labels from, got none');
  rng.shuffle(ids);
  const keep = new Set(ids.slice(0, Math.max(1, Math.round(fraction * ids.length))));
  return items.filter((i) => keep.has(groups[i]));
}
