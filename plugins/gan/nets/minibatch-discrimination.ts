import * as tf from '@tensorflow/tfjs';

/** Constructor arguments of {@link MinibatchDiscrimination}. */
export interface MinibatchDiscriminationArgs {
  /** B: number of kernels (output features per sample, or per position). */
  kernels: number;
  /** C: dimension of each kernel's projection. */
  kernelDim: number;
  /** Std of the normal initialiser of T. Default 0.05 (the paper's Algorithm 2 says N(0, 1),
   *  which saturates exp(−L1) at 0 for realistic feature scales). */
  initStddev?: number;
  /** Seed of the initialiser. */
  seed?: number;
  name?: string;
}

/**
 * Minibatch discrimination (Salimans et al. 2016, §3.2; the paper's Algorithm 2). With features
 * f(x_i) ∈ R^A and a trainable tensor T ∈ R^{A×B×C}: M_i = f(x_i)·T ∈ R^{B×C},
 * c_b(x_i, x_j) = exp(−‖M_{i,b} − M_{j,b}‖_1), o(x_i)_b = Σ_j c_b(x_i, x_j) (j over the whole
 * minibatch, j = i included, so identical samples give o = batch size and well separated ones
 * o ≈ 1); the output is [f(x), o(x)].
 * - rank-2 input [N, A] → [N, A + B];
 * - rank-4 input [N, H, W, A]: applied at every position with a shared T (features are the
 *   channels) → [N, H, W, A + B]. With B = 1 this is the paper's layout (512 channels → 513,
 *   T = 512 × 160 ≈ 82K parameters, Table 1).
 * Memory: N²·(H·W)·B·C floats for the pairwise differences.
 */
export class MinibatchDiscrimination extends tf.layers.Layer {
  static className = 'LensforgeMinibatchDiscrimination';
  readonly kernels: number;
  readonly kernelDim: number;
  readonly initStddev: number;
  readonly seed?: number;
  private T!: tf.LayerVariable;

  constructor(args: MinibatchDiscriminationArgs) {
    super({ name: args.name });
    for (const k of ['kernels', 'kernelDim'] as const) {
      if (!(Number.isInteger(args[k]) && args[k] >= 1)) throw new Error(`MinibatchDiscrimination.${k}: expected an integer >= 1, got ${args[k]}`);
    }
    const std = args.initStddev ?? 0.05;
    if (!(std > 0)) throw new Error(`MinibatchDiscrimination.initStddev: expected a number > 0, got ${std}`);
    this.kernels = args.kernels;
    this.kernelDim = args.kernelDim;
    this.initStddev = std;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (s.length !== 2 && s.length !== 4) throw new Error(`MinibatchDiscrimination: expected a rank-2 [N, A] or rank-4 [N, H, W, A] input, got rank ${s.length}`);
    const a = s[s.length - 1];
    if (a == null) throw new Error('MinibatchDiscrimination: the feature (last) dimension must be known');
    this.T = this.addWeight('T', [a, this.kernels * this.kernelDim], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: this.initStddev, seed: this.seed }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const out = s.slice();
    out[out.length - 1] = (s[s.length - 1] as number) + this.kernels;
    return out;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const shape = x.shape as number[];
      const n = shape[0];
      const a = shape[shape.length - 1];
      const p = x.rank === 4 ? shape[1] * shape[2] : 1;
      const m = tf.reshape(tf.matMul(tf.reshape(x, [n * p, a]), this.T.read()), [n, p, this.kernels, this.kernelDim]);
      const l1 = tf.sum(tf.abs(tf.sub(tf.expandDims(m, 1), tf.expandDims(m, 0))), -1); // [N, N, P, B]
      const o = tf.sum(tf.exp(tf.neg(l1)), 1); // [N, P, B]
      const oShaped = x.rank === 4 ? tf.reshape(o, [n, shape[1], shape[2], this.kernels]) : tf.reshape(o, [n, this.kernels]);
      return tf.concat([x, oShaped], -1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernels: this.kernels, kernelDim: this.kernelDim, initStddev: this.initStddev };
  }
}
tf.serialization.registerClass(MinibatchDiscrimination);
