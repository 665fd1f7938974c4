import * as tf from '@tensorflow/tfjs';

/** How {@link VirtualBatchNorm} combines the reference batch with the current rows. */
export type VbnStatistics = 'per-example' | 'batch';

/** Constructor arguments of {@link VirtualBatchNorm}. */
export interface VirtualBatchNormArgs {
  /** m: number of leading rows of every input that are the reference batch (>= 1). */
  referenceSize: number;
  /** 'per-example' (default; Salimans et al. 2016) or 'batch' (the paper's Algorithm 1 as printed). */
  statistics?: VbnStatistics;
  /** Added to the variance. Default 1e-5. */
  epsilon?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * Virtual batch normalisation (Salimans et al. 2016, "Improved Techniques for Training GANs", §3.4;
 * the paper's Algorithm 1) as a tfjs layer with a learned scale γ and offset β per channel.
 *
 * Convention: the first `referenceSize` rows of the input ARE the reference batch R (the model
 * is fed [R; B], the latent vectors of R fixed at the start of training, so R's statistics are
 * recomputed with the current weights at every layer). Statistics are over the batch and spatial
 * axes, per channel (the last axis):
 * - reference rows are normalised with R's own mean and variance;
 * - 'per-example': each other row x is normalised with the statistics of R ∪ {x},
 *   μ = (mean(x) + m·μ_R)/(m + 1), E[x²] likewise, σ² = E[x²] − μ², so a row's output does not
 *   depend on the other rows of its batch (Salimans et al.);
 * - 'batch': every row uses the statistics of R ∪ B (the paper's Algorithm 1, μ = (ΣB + ΣR)/2m),
 *   which makes samples depend on their batch.
 * y = γ (x − μ)/√(σ² + ε) + β. Same behaviour in training and inference; no moving averages.
 * Input: [m + B, ..., C] with B >= 0; output: same shape.
 */
export class VirtualBatchNorm extends tf.layers.Layer {
  static className = 'LensforgeVirtualBatchNorm';
  readonly referenceSize: number;
  readonly statistics: VbnStatistics;
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(args: VirtualBatchNormArgs) {
    super({ name: args.name, trainable: args.trainable });
    if (!(Number.isInteger(args.referenceSize) && args.referenceSize >= 1)) {
      throw new Error(`VirtualBatchNorm.referenceSize: expected an integer >= 1, got ${args.referenceSize}`);
    }
    const stats = args.statistics ?? 'per-example';
    if (stats !== 'per-example' && stats !== 'batch') throw new Error(`VirtualBatchNorm.statistics: expected 'per-example' or 'batch', got ${JSON.stringify(stats)}`);
    const eps = args.epsilon ?? 1e-5;
    if (!(eps > 0)) throw new Error(`VirtualBatchNorm.epsilon: expected a number > 0, got ${eps}`);
    this.referenceSize = args.referenceSize;
    this.statistics = stats;
    this.epsilon = eps;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = s[s.length - 1];
    if (c == null) throw new Error('VirtualBatchNorm: the channel (last) dimension must be known');
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] { return inputShape; }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const m = this.referenceSize;
      const n = x.shape[0];
      if (n < m) throw new Error(`VirtualBatchNorm: expected the ${m} reference rows first in the batch, got only ${n} rows`);
      const rank = x.rank;
      const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 1);
      const all = [0, ...spatial];
      const gamma = this.gamma.read(), beta = this.beta.read();
      const norm = (v: tf.Tensor, mu: tf.Tensor, sq: tf.Tensor): tf.Tensor => {
        const variance = tf.relu(tf.sub(sq, tf.square(mu)));
        return tf.add(tf.mul(tf.mul(tf.sub(v, mu), tf.rsqrt(tf.add(variance, this.epsilon))), gamma), beta);
      };
      if (this.statistics === 'batch') return norm(x, tf.mean(x, all), tf.mean(tf.square(x), all));
      // Per-row weights instead of slicing the batch (slices are slow on wasm): the reference
      // statistics are Σ_rows w_i · x with w_i = 1/(m·S) on reference rows, 0 elsewhere, and each
      // row mixes its own statistics with weight α_i (0 on reference rows, 1/(m + 1) elsewhere).
      const rowShape = [n, ...spatial.map(() => 1), 1];
      const size = spatial.reduce((p, a) => p * (x.shape[a] as number), 1);
      const w = tf.tensor(Float32Array.from({ length: n }, (_, i) => (i < m ? 1 / (m * size) : 0)), rowShape);
      const alpha = tf.tensor(Float32Array.from({ length: n }, (_, i) => (i < m ? 0 : 1 / (m + 1))), rowShape);
      const x2 = tf.square(x);
      const refMean = tf.sum(tf.mul(x, w), all), refSq = tf.sum(tf.mul(x2, w), all);
      const exMean = spatial.length ? tf.mean(x, spatial, true) : x;
      const exSq = spatial.length ? tf.mean(x2, spatial, true) : x2;
      const mix = (e: tf.Tensor, r: tf.Tensor) => tf.add(tf.mul(alpha, tf.sub(e, r)), r);
      return norm(x, mix(exMean, refMean), mix(exSq, refSq));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), referenceSize: this.referenceSize, statistics: this.statistics, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(VirtualBatchNorm);
