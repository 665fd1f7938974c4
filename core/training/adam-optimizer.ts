import * as tf from '@tensorflow/tfjs';
import { NO_WEIGHT_DECAY, OwnedOptimizer, type WeightDecay } from './owned-optimizer.js';

/**
 * Adam (Kingma & Ba 2015) with bias correction from running β-powers, op for op as tfjs's
 * `AdamOptimizer` (bit-identical runs), and AdamW when the weight decay is `decoupled`
 * (Loshchilov & Hutter 2019: w -= lr * decay * w before the Adam step, as `torch.optim.AdamW`).
 * The β-powers are state (`beta1Power`, `beta2Power` in `getWeights()`), restored as saved.
 * `epsilon` defaults to 1e-7 (tfjs's float32 default; PyTorch's is 1e-8).
 */
export class AdamOptimizer extends OwnedOptimizer {
  static className = 'LensforgeAdam';
  protected readonly slotNames = ['m', 'v'] as const;
  private oneMinus1: tf.Scalar | null = null;
  private oneMinus2: tf.Scalar | null = null;

  constructor(lr: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly epsilon = 1e-7, weightDecay: WeightDecay = NO_WEIGHT_DECAY) {
    super(lr, weightDecay);
    for (const [k, b] of [['beta1', beta1], ['beta2', beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`adam ${k}: expected a number in [0, 1), got ${b}`);
    }
    if (!(epsilon > 0)) throw new Error(`adam epsilon: expected a number > 0, got ${epsilon}`);
    this.scalars = {
      beta1Power: tf.tidy(() => tf.scalar(beta1).variable(false)),
      beta2Power: tf.tidy(() => tf.scalar(beta2).variable(false)),
    };
  }

  /** tfjs's names for the β-powers: the checkpoint code also saves them as `#accBeta1/2` (older checkpoints have only those). */
  get accBeta1(): tf.Variable { return this.scalars.beta1Power; }
  get accBeta2(): tf.Variable { return this.scalars.beta2Power; }

  protected legacyScalars(iterations: number): void {
    this.scalars.beta1Power.assign(tf.pow(this.beta1, iterations + 1));
    this.scalars.beta2Power.assign(tf.pow(this.beta2, iterations + 1));
  }

  protected beginStep(): void {
    this.oneMinus1 = tf.sub(1, this.scalars.beta1Power) as tf.Scalar;
    this.oneMinus2 = tf.sub(1, this.scalars.beta2Power) as tf.Scalar;
  }

  protected update(value: tf.Variable, g: tf.Tensor, slots: tf.Variable[]): tf.Tensor {
    const [m, v] = slots;
    const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
    const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    const mHat = tf.div(newM, this.oneMinus1!);
    const vHat = tf.div(newV, this.oneMinus2!);
    m.assign(newM);
    v.assign(newV);
    return tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value);
  }

  protected endStep(): void {
    this.scalars.beta1Power.assign(tf.mul(this.scalars.beta1Power, this.beta1));
    this.scalars.beta2Power.assign(tf.mul(this.scalars.beta2Power, this.beta2));
    this.oneMinus1 = this.oneMinus2 = null;
  }

  getClassName(): string { return 'LensforgeAdam'; }

  getConfig(): tf.serialization.ConfigDict { return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon }; }
}
