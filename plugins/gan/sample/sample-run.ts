import { extname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  LensforgeError, loadTrainedRun, Rng, SilentProgress, writeFits, writeNpy,
  type LoadedNetwork, type ProgressReporter, type Registry,
} from '../../../core/index.js';
import { buildPixelTransform, type PixelTransformOptions } from '../method/pixel-transform.js';

export interface SampleOptions {
  count: number;
  /** Seed of the latent stream (default 0). */
  seed?: number;
  /** Maps per generator call (default 64). */
  batch?: number;
  progress?: ProgressReporter;
}

export interface SampleResult {
  out: string;
  format: 'npy' | 'fits';
  /** The generator network used (`generatorEma` when the run averaged its weights). */
  network: string;
  shape: number[];
  units: string;
  transform: string;
  /** The maps in data units, row-major (shape above). */
  maps: Float32Array;
}

/** The name of the latent stream of `sample` (from `Rng.fromSeed(seed)`). */
export const SAMPLE_STREAM = 'sample-latents';

/** Check `--count` / `--seed` / `--batch` style values: an integer >= min. */
export function intOption(flag: string, v: unknown, min: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!(Number.isInteger(n) && n >= min)) throw new LensforgeError(`${flag}: expected an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

/** `.npy` or `.fits` (also `.fit`), or an error naming the file and what is accepted. */
export function sampleFormat(out: string): 'npy' | 'fits' {
  const e = extname(out).toLowerCase();
  if (e === '.npy') return 'npy';
  if (e === '.fits' || e === '.fit') return 'fits';
  throw new LensforgeError(`--out ${out}: unknown extension "${e || '(none)'}"; expected .npy (float32 [N, H, W(, C)]) or .fits (a float32 cube)`);
}

/** The generator `sample` uses: the weight-averaged one when the run has it, else the first generator. */
export function samplingGenerator(networks: readonly LoadedNetwork[]): LoadedNetwork | undefined {
  const gens = networks.filter((n) => n.role === 'generator' && n.output.kind === 'image');
  return gens.find((n) => n.name === 'generatorEma') ?? gens[0];
}

/**
 * Run a generator on `z` ([k, dim] standard normals), prepending the VBN reference rows when it
 * has them and dropping their outputs. Returns the raw network outputs, k × (H·W·C) values.
 */
export function generateRaw(net: LoadedNetwork, z: Float32Array, k: number): Float32Array {
  const lat = net.output.latent;
  if (!lat) throw new LensforgeError(`generator ${net.name}: its output records no latent input (output.latent)`);
  const m = lat.referenceRows;
  return tf.tidy(() => {
    const zt = tf.tensor2d(z, [k, lat.dim]);
    const x = m > 0 ? tf.concat([tf.tensor2d(Float32Array.from(lat.referenceLatents ?? []), [m, lat.dim]), zt], 0) : zt;
    const y = net.model.predict(x) as tf.Tensor;
    const out = m > 0 ? tf.slice(y, m, k) : y;
    return Float32Array.from(out.dataSync() as Float32Array);
  });
}

/**
 * `lensforge sample RUN_DIR --count N --out maps.npy|maps.fits [--seed S] [--batch B]`: N maps
 * from a trained GAN's generator (the weight-averaged `generatorEma` when the run kept one).
 * Latents: `Rng.fromSeed(S).derive('sample-latents')`, N × latentDim standard normals drawn in
 * map order, so the same seed gives byte-identical files (and, with per-example VBN or no VBN,
 * the same maps for any --batch). The run's pixel transform is inverted, so the maps are in the
 * training data's units (e.g. convergence κ). Written atomically: `.npy` float32 [N, H, W]
 * (or [N, H, W, C] for C > 1), or a FITS float32 cube with RUN, NETWORK, SEED, COUNT, TRANSF and
 * BUNIT in its header.
 */
export async function sampleRun(runDir: string, out: string, registry: Registry, o: SampleOptions): Promise<SampleResult> {
  const count = intOption('--count', o.count, 1);
  const seed = intOption('--seed', o.seed ?? 0, 0);
  const batch = intOption('--batch', o.batch ?? 64, 1);
  const format = sampleFormat(out);
  const run = await loadTrainedRun(runDir, registry);
  try {
    const net = samplingGenerator(run.networks);
    if (!net) {
      throw new LensforgeError(`${runDir}: method ${run.methodName} has no generator to sample from (it exports ${run.networks.map((n) => `${n.name} (${n.role})`).join(', ') || 'nothing'}); sample needs a GAN run (e.g. gan/dcgan)`);
    }
    const lat = net.output.latent!;
    const pt = net.output.pixelTransform;
    const transform = buildPixelTransform((pt ?? { kind: 'none' }) as PixelTransformOptions, () => new Float32Array(0));
    const [h, w, c] = (net.model.outputs[0].shape.slice(1) as number[]);
    const per = h * w * c;
    const maps = new Float32Array(count * per);
    const rng = Rng.fromSeed(seed).derive(SAMPLE_STREAM);
    const task = (o.progress ?? new SilentProgress()).start(`sample ${count} maps (${net.name})`, count);
    try {
      for (let s = 0; s < count; s += batch) {
        const k = Math.min(batch, count - s);
        const raw = generateRaw(net, rng.normalArray(k * lat.dim), k);
        maps.set(transform.inverse(raw), s * per);
        task.tick(k);
      }
    } finally { task.stop(); }
    const shape = c === 1 ? [count, h, w] : [count, h, w, c];
    const abs = resolve(out);
    const units = net.output.units ?? 'network output units';
    if (format === 'npy') writeNpy(abs, maps, shape);
    else {
      writeFits(abs, maps, shape, {
        RUN: String(run.loaded.config.name).slice(0, 60), NETWORK: net.name, SEED: seed, COUNT: count,
        METHOD: run.methodName, TRANSF: transform.resolved.kind, BUNIT: 'data units',
        ...(transform.resolved.kind === 'cosmogan' ? { PT_SHIFT: transform.resolved.shift as number, PT_A: transform.resolved.a as number } : {}),
        ...(transform.resolved.kind === 'affine' ? { PT_OFF: transform.resolved.offset, PT_SCALE: transform.resolved.scale } : {}),
      });
    }
    return { out: abs, format, network: net.name, shape, units, transform: transform.description, maps };
  } finally { run.dispose(); }
}
