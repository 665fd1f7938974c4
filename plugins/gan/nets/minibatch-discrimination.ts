import * as tf from '@tensorflow/tfjs';

/**
 * o[n, q] = Σ_j exp(−Σ_c |M[n, q, c] − M[j, q, c]|) for M of shape [N, Q, C] → [N, Q], with a
 * hand-written gradient. Autograd of the broadcast difference would reduce [N, N, Q, C] over a
 * leading axis, which the wasm backend does slowly (a rank-5 transpose); here every reduction is
 * over the innermost axis: with E = exp(−L1) and upstream g, H = −E·g_i, S = H + Hᵀ,
 * ∂/∂M[k, q, c] = Σ_j S[q, k, j] · sign(M[k, q, c] − M[j, q, c]).
 */
export function minibatchSimilarity(m: tf.Tensor3D): tf.Tensor2D {
  const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const mq = tf.transpose(x, [1, 0, 2]); // [Q, N, C]
    const l1 = tf.sum(tf.abs(tf.sub(tf.expandDims(mq, 2), tf.expandDims(mq, 1))), -1); // [Q, N, N]
    const e = tf.exp(tf.neg(l1));
    save([mq, e]);
    return {
      value: tf.transpose(tf.sum(e, -1), [1, 0]), // [N, Q]
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [mqs, es] = saved;
        const g = tf.transpose(Array.isArray(dy) ? dy[0] : dy, [1, 0]); // [Q, N]
        const h = tf.neg(tf.mul(es, tf.expandDims(g, 2))); // H[q, i, j] = −E[q, i, j]·g[q, i]
        const sym = tf.add(h, tf.transpose(h, [0, 2, 1]));
        const diffT = tf.sub(tf.expandDims(mqs, 3), tf.expandDims(tf.transpose(mqs, [0, 2, 1]), 1)); // [Q, N(k), C, N(j)]
        const dmq = tf.sum(tf.mul(tf.sign(diffT), tf.expandDims(sym, 2)), -1); // [Q, N, C]
        return [tf.transpose(dmq, [1, 0, 2])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(m) as tf.Tensor2D;
}

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
      const m = tf.reshape(tf.matMul(tf.reshape(x, [n * p, a]), this.T.read()), [n, p * this.kernels, this.kernelDim]);
      const o = minibatchSimilarity(m as tf.Tensor3D); // [N, P·B]
      const oShaped = x.rank === 4 ? tf.reshape(o, [n, shape[1], shape[2], this.kernels]) : tf.reshape(o, [n, this.kernels]);
      return tf.concat([x, oShaped], -1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), kernels: this.kernels, kernelDim: this.kernelDim, initStddev: this.initStddev };
  }
}
tf.serialization.registerClass(MinibatchDiscrimination);
