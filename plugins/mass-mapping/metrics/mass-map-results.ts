/**
 * What the mass-mapping method hands its metrics through `EvalContext.extra.massMapping`:
 * the true held-out convergence maps and, per estimator (e.g. `gan` = posterior mean,
 * `ks` = smoothed Kaiser-Squires), the estimated maps and, where the estimator has one, the
 * per-pixel posterior standard deviation. All maps are n × n, row-major, float32.
 */
import type { EvalContext } from '../../../core/index.js';

/** One estimator's reconstructions of the held-out maps. */
export interface MassMapEstimate {
  maps: Float32Array[];
  /** Per-pixel posterior std, one map per held-out map (absent for point estimators such as KS). */
  std?: Float32Array[];
}

/** The mass-mapping evaluation artefacts. */
export interface MassMapResults {
  /** Map side in pixels. */
  n: number;
  truth: Float32Array[];
  estimates: Record<string, MassMapEstimate>;
}

/** The key under `EvalContext.extra`. */
export const MASS_MAP_RESULTS_KEY = 'massMapping';

/**
 * Read and check the results from an EvalContext; `who` names the metric in error messages.
 * Throws when they are missing or inconsistent (map counts or sizes differ).
 */
export function readMassMapResults(ctx: EvalContext, who: string): MassMapResults {
  const r = ctx.extra?.[MASS_MAP_RESULTS_KEY] as MassMapResults | undefined;
  if (!r || !Array.isArray(r.truth) || typeof r.estimates !== 'object') {
    throw new Error(`${who}: expected extra.${MASS_MAP_RESULTS_KEY} = { n, truth, estimates } from a mass-mapping method, got ${r === undefined ? 'nothing' : typeof r}`);
  }
  const px = r.n * r.n;
  r.truth.forEach((t, i) => {
    if (t.length !== px) throw new Error(`${who}: truth[${i}]: expected ${px} pixels (${r.n}x${r.n}), got ${t.length}`);
  });
  for (const [name, e] of Object.entries(r.estimates)) {
    if (e.maps.length !== r.truth.length) {
      throw new Error(`${who}: estimates.${name}.maps: expected ${r.truth.length} maps (one per truth map), got ${e.maps.length}`);
    }
    if (e.std && e.std.length !== r.truth.length) {
      throw new Error(`${who}: estimates.${name}.std: expected ${r.truth.length} maps, got ${e.std.length}`);
    }
  }
  return r;
}

/** The estimators to score: `only` (checked against what is present) or all of them. */
export function selectEstimators(r: MassMapResults, only: readonly string[] | undefined, who: string): string[] {
  const have = Object.keys(r.estimates);
  if (!only || only.length === 0) return have;
  for (const e of only) {
    if (!have.includes(e)) throw new Error(`${who}.estimators: expected names among ${have.join(', ')}, got "${e}"`);
  }
  return [...only];
}

/** Mean over maps of a per-map score. */
export function meanOverMaps(truth: Float32Array[], maps: Float32Array[], score: (t: Float32Array, e: Float32Array) => number): number {
  if (truth.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += score(truth[i], maps[i]);
  return s / truth.length;
}
