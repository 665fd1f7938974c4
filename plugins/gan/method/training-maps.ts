import * as tf from '@tensorflow/tfjs';
import { LensforgeError, type Rng, type Simulator, type StatefulPart } from '../../../core/index.js';
import { buildPixelTransform, type PixelTransform, type PixelTransformOptions } from './pixel-transform.js';

/**
 * The GAN's training maps: the first `count` maps of split 'train', mapped to the generator's
 * tanh range by the pixel transform ('auto' constants from the first min(count, 64) maps), each
 * transformed once when first used and cached (one float32 copy per map).
 */
export class TrainingMaps {
  readonly transform: PixelTransform;
  readonly shape: readonly [number, number, number];
  private readonly cache: (Float32Array | undefined)[];

  constructor(private readonly data: Simulator, readonly count: number, transform: PixelTransformOptions) {
    this.shape = data.imageShape;
    const per = this.shape[0] * this.shape[1] * this.shape[2];
    this.transform = buildPixelTransform(transform, () => {
      const k = Math.min(count, 64);
      const out = new Float32Array(k * per);
      for (let i = 0; i < k; i++) out.set(data.sample(i, 'train').image, i * per);
      return out;
    });
    this.cache = new Array(count);
  }

  map(i: number): Float32Array {
    return (this.cache[i] ??= this.transform.forward(this.data.sample(i, 'train').image));
  }

  /** A batch of the maps at `indices`, [k, h, w, c] in the network range. */
  batch(indices: readonly number[]): tf.Tensor4D {
    const [h, w, c] = this.shape;
    const per = h * w * c;
    const buf = new Float32Array(indices.length * per);
    indices.forEach((i, b) => buf.set(this.map(i), b * per));
    return tf.tensor4d(buf, [indices.length, h, w, c]);
  }
}

/**
 * Indices 0..n-1 drawn without replacement in a seeded random order, a new permutation whenever
 * one is used up (batches run across epoch ends). Its permutation and cursor are a stateful part
 * of the training loop, so a resumed run draws the same batches; `order` is the stream the
 * permutations come from (checkpointed by the loop as an RNG).
 */
export class ShuffledIndices implements StatefulPart {
  private perm: number[] = [];
  private cursor = 0;

  constructor(private readonly n: number, private readonly order: Rng) {}

  next(k: number): number[] {
    const out: number[] = [];
    for (let b = 0; b < k; b++) {
      if (this.cursor >= this.perm.length) { this.perm = this.order.shuffle(Array.from({ length: this.n }, (_, i) => i)); this.cursor = 0; }
      out.push(this.perm[this.cursor++]);
    }
    return out;
  }

  save(): { perm: number[]; cursor: number } { return { perm: this.perm.slice(), cursor: this.cursor }; }

  load(state: unknown): void {
    const s = state as { perm?: unknown; cursor?: unknown } | null;
    const perm = s?.perm, cursor = s?.cursor;
    if (!Array.isArray(perm) || !perm.every((i) => Number.isInteger(i) && i >= 0 && i < this.n) || !Number.isInteger(cursor) || (cursor as number) < 0 || (cursor as number) > perm.length) {
      throw new LensforgeError(`checkpoint state: the data order of gan/dcgan: expected { perm: indices in [0, ${this.n}), cursor: 0..perm.length }, got ${JSON.stringify(s)?.slice(0, 80)}`);
    }
    this.perm = perm.slice() as number[];
    this.cursor = cursor as number;
  }
}
