import * as tf from '@tensorflow/tfjs';
import { NO_WEIGHT_DECAY, OwnedOptimizer, type WeightDecay } from './owned-optimizer.js';

/**
 * SGD with optional (Nesterov) momentum, as `torch.optim.SGD` (dampening 0):
 * buf = momentum * buf + g; w -= lr * buf (or lr * (g + momentum * buf) with Nesterov).
 * The arithmetic is tfjs's `MomentumOptimizer`'s op for op (and `SGDOptimizer`'s without
 * momentum), so runs are bit-identical to those optimizers'.
 */
export class SgdOptimizer extends OwnedOptimizer {
  static className = 'LensforgeSgd';
  protected readonly slotNames: readonly string[];

  constructor(lr: number, readonly momentum = 0, readonly nesterov = false, weightDecay: WeightDecay = NO_WEIGHT_DECAY) {
    super(lr, weightDecay);
    if (!(momentum >= 0 && momentum < 1)) throw new Error(`sgd momentum: expected a number in [0, 1), got ${momentum}`);
    if (nesterov && momentum === 0) throw new Error('sgd nesterov: needs momentum > 0');
    this.slotNames = momentum > 0 ? ['momentum'] : [];
  }

  private c: tf.Scalar | null = null;
  private m: tf.Scalar | null = null;

  /** The step's -lr and momentum as scalars, made once per step (not per variable). */
  protected beginStep(): void {
    this.c = tf.scalar(-this.learningRate);
    this.m = tf.scalar(this.momentum);
  }

  protected endStep(): void { this.c = this.m = null; }

  protected update(value: tf.Variable, g: tf.Tensor, slots: tf.Variable[]): tf.Tensor {
    const c = this.c!, m = this.m!;
    if (this.momentum === 0) return tf.add(tf.mul(c, g), value);
    const acc = tf.add(tf.mul(m, slots[0]), g);
    slots[0].assign(acc);
    return this.nesterov ? tf.add(tf.mul(c, tf.add(g, tf.mul(acc, m))), value) : tf.add(tf.mul(c, acc), value);
  }

  getClassName(): string { return 'LensforgeSgd'; }

  getConfig(): tf.serialization.ConfigDict { return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov }; }
}
