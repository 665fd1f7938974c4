import * as tf from '@tensorflow/tfjs';
import { NO_WEIGHT_DECAY, OwnedOptimizer, type WeightDecay } from './owned-optimizer.js';

/**
 * RMSprop as `torch.optim.RMSprop`: sq = α sq + (1 - α) g²; with `centered`, avg = α avg +
 * (1 - α) g and the denominator is sqrt(sq - avg²) + ε, else sqrt(sq) + ε; with momentum,
 * buf = momentum * buf + g / denominator and w -= lr * buf, else w -= lr * g / denominator.
 */
export class RmspropOptimizer extends OwnedOptimizer {
  static className = 'LensforgeRmsprop';
  protected readonly slotNames: readonly string[];

  constructor(lr: number, readonly alpha = 0.99, readonly epsilon = 1e-8, readonly momentum = 0, readonly centered = false, weightDecay: WeightDecay = NO_WEIGHT_DECAY) {
    super(lr, weightDecay);
    if (!(alpha >= 0 && alpha < 1)) throw new Error(`rmsprop alpha: expected a number in [0, 1), got ${alpha}`);
    if (!(momentum >= 0 && momentum < 1)) throw new Error(`rmsprop momentum: expected a number in [0, 1), got ${momentum}`);
    if (!(epsilon > 0)) throw new Error(`rmsprop epsilon: expected a number > 0, got ${epsilon}`);
    this.slotNames = ['square_avg', ...(centered ? ['grad_avg'] : []), ...(momentum > 0 ? ['momentum'] : [])];
  }

  protected update(value: tf.Variable, g: tf.Tensor, slots: tf.Variable[]): tf.Tensor {
    const sq = slots[0];
    const newSq = tf.add(tf.mul(sq, this.alpha), tf.mul(tf.square(g), 1 - this.alpha));
    sq.assign(newSq);
    let denom: tf.Tensor;
    let k = 1;
    if (this.centered) {
      const avg = slots[k++];
      const newAvg = tf.add(tf.mul(avg, this.alpha), tf.mul(g, 1 - this.alpha));
      avg.assign(newAvg);
      denom = tf.add(tf.sqrt(tf.sub(newSq, tf.square(newAvg))), this.epsilon);
    } else denom = tf.add(tf.sqrt(newSq), this.epsilon);
    if (this.momentum > 0) {
      const buf = slots[k];
      const newBuf = tf.add(tf.mul(buf, this.momentum), tf.div(g, denom));
      buf.assign(newBuf);
      return tf.sub(value, tf.mul(newBuf, this.learningRate));
    }
    return tf.sub(value, tf.mul(tf.div(g, denom), this.learningRate));
  }

  getClassName(): string { return 'LensforgeRmsprop'; }

  getConfig(): tf.serialization.ConfigDict { return { ...super.getConfig(), alpha: this.alpha, epsilon: this.epsilon, momentum: this.momentum, centered: this.centered }; }
}
