/**
 * SGD with momentum for SimSiam (Chen & He 2021, Sec. 4: SGD, momentum 0.9, weight decay 1e-4,
 * lr = base_lr * batch / 256 with a cosine schedule). tfjs' momentum update
 *   v <- momentum * v + g,  w <- w - lr * v
 * is PyTorch's (dampening 0, no Nesterov by default); weight decay is added to g by
 * `simsiamStep`, as PyTorch does.
 */
import * as tf from '@tensorflow/tfjs';

export interface SgdOptions {
  /** Learning rate, > 0. */
  lr: number;
  /** Momentum in [0, 1), default 0.9. */
  momentum?: number;
  /** Nesterov momentum, default false. */
  nesterov?: boolean;
}

/** Create the momentum optimizer (call outside `tf.tidy`: it owns a scalar). */
export function createSgd(opts: SgdOptions): tf.MomentumOptimizer {
  if (!(opts.lr > 0) || !Number.isFinite(opts.lr)) throw new Error(`sgd.lr: expected a finite number > 0, got ${opts.lr}`);
  const momentum = opts.momentum ?? 0.9;
  if (!(momentum >= 0 && momentum < 1)) throw new Error(`sgd.momentum: expected a number in [0, 1), got ${momentum}`);
  return tf.train.momentum(opts.lr, momentum, opts.nesterov ?? false);
}

/** Change the learning rate of an SGD/momentum optimizer (e.g. each step from `cosineLr`). */
export function setLearningRate(optimizer: tf.SGDOptimizer, lr: number): void {
  if (!(lr >= 0) || !Number.isFinite(lr)) throw new Error(`sgd.lr: expected a finite number >= 0, got ${lr}`);
  optimizer.setLearningRate(lr);
}
