/**
 * An in-memory catalogue of multi-band cluster observations for the richness method: every
 * image is rendered once, stretched with asinh(x / softening) (the usual display/learning
 * stretch for astronomical images, Lupton et al. 1999), and kept as float32, so that training
 * steps only copy pixels. Also builds the batches of the pretext tasks.
 */
import type { Simulator } from '../../../core/index.js';
import { permuteChannels } from '../pretext/permutations.js';

export interface ClusterPool {
  /** n images, each size x size x channels, stretched; row-major, channels last. */
  images: Float32Array;
  n: number;
  size: number;
  channels: number;
  /** The regression target of every image. */
  targets: Float32Array;
  /** The cluster (Sample.group; the index when a simulator gives none) of every image. */
  groups: number[];
  /** Sample.scene of every image (for figures), when kept. */
  scenes: unknown[];
}

/**
 * Render observations 0..count-1 of `split` from `sim` into a pool. `target` must be one of the
 * simulator's labels; `softening` (> 0, image units) sets the asinh stretch. `methodPath` is the
 * config path of the method whose options these are (its injected `TOKENS.ComponentPath`):
 * errors name `${methodPath}.target` etc.
 */
export function buildClusterPool(sim: Simulator, count: number, split: string, target: string, softening: number, keepScenes = false, methodPath = 'model.method'): ClusterPool {
  const [h, w, c] = sim.imageShape;
  if (h !== w) throw new Error(`data: expected square images, got ${h}x${w}`);
  if (!sim.labelNames.includes(target)) throw new Error(`${methodPath}.target: expected one of ${sim.labelNames.join(', ')}, got "${target}"`);
  if (!(softening > 0)) throw new Error(`${methodPath}.softening: expected a number > 0, got ${softening}`);
  if (count > sim.size) throw new Error(`${methodPath}.poolSize: expected at most the simulator's size ${sim.size}, got ${count}`);
  const per = h * w * c;
  const images = new Float32Array(count * per);
  const targets = new Float32Array(count);
  const groups: number[] = [];
  const scenes: unknown[] = [];
  const inv = 1 / softening;
  for (let i = 0; i < count; i++) {
    const s = sim.sample(i, split);
    if (s.image.length !== per) throw new Error(`data: sample ${i} has ${s.image.length} values, expected ${per}`);
    const off = i * per;
    for (let k = 0; k < per; k++) images[off + k] = Math.asinh(s.image[k] * inv);
    targets[i] = s.labels[target];
    groups.push(s.group ?? i);
    if (keepScenes) scenes.push(s.scene);
  }
  return { images, n: count, size: h, channels: c, targets, groups, scenes };
}

/** Multi-band images of `items`: [B, S, S, C] values. */
export function clusterImages(pool: ClusterPool, items: readonly number[]): Float32Array {
  const per = pool.size * pool.size * pool.channels;
  const out = new Float32Array(items.length * per);
  items.forEach((it, b) => out.set(pool.images.subarray(it * per, (it + 1) * per), b * per));
  return out;
}

/** Single-band images: channel `bands[b]` of item `items[b]`, as [B, S, S, 1] values. */
export function singleBandImages(pool: ClusterPool, items: readonly number[], bands: readonly number[]): Float32Array {
  const { size, channels } = pool;
  const px = size * size, per = px * channels;
  const out = new Float32Array(items.length * px);
  items.forEach((it, b) => {
    const band = bands[b];
    if (!(Number.isInteger(band) && band >= 0 && band < channels)) throw new Error(`band: expected an integer in [0, ${channels - 1}], got ${band}`);
    const src = it * per + band;
    const dst = b * px;
    for (let k = 0; k < px; k++) out[dst + k] = pool.images[src + k * channels];
  });
  return out;
}

/** Channel-shuffled images: item `items[b]` with permutation `perms[b]` applied (output channel k = input channel perm[k]). */
export function permutedImages(pool: ClusterPool, items: readonly number[], perms: readonly (readonly number[])[]): Float32Array {
  const per = pool.size * pool.size * pool.channels;
  const out = new Float32Array(items.length * per);
  items.forEach((it, b) => out.set(permuteChannels(pool.images.subarray(it * per, (it + 1) * per), perms[b]), b * per));
  return out;
}
