/**
 * Stop-gradient (SimSiam's `stopgrad`, Chen & He 2021, Eq. 3; PyTorch `detach()`): the identity
 * in the forward pass, a zero gradient in the backward pass. tfjs has no such op, so it is a
 * `tf.customGrad` whose gradient function returns zeros.
 */
import * as tf from '@tensorflow/tfjs';

const stop = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = inputs[0] as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/** Returns a copy of `x` through which no gradient flows. */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
