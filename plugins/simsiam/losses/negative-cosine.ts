/**
 * SimSiam loss (Chen & He 2021, "Exploring Simple Siamese Representation Learning", Eqs. 1-4):
 *   D(p, z) = -mean_i cos(p_i, stopgrad(z_i)),  cos(a, b) = a.b / (|a| |b|),
 *   L = 0.5 D(p1, z2) + 0.5 D(p2, z1).
 * Inputs are `[batch, dim]`; the result is a scalar in [-1, 1] (-1 = perfectly aligned).
 * Vectors are l2-normalised as x / max(|x|, 1e-12) (PyTorch `F.normalize`), so a zero row
 * gives cosine 0 and a finite gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from './stop-gradient.js';

const NORM_EPS = 1e-12;

/** Row-wise l2 normalisation x / max(|x|_2, 1e-12) of a `[batch, dim]` tensor. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), 1, true), NORM_EPS * NORM_EPS))) as tf.Tensor2D);
}

function checkPair(p: tf.Tensor, z: tf.Tensor, where: string): void {
  if (p.rank !== 2 || z.rank !== 2 || p.shape[0] !== z.shape[0] || p.shape[1] !== z.shape[1]) {
    throw new Error(`${where}: expected p and z of the same shape [batch, dim], got [${p.shape}] and [${z.shape}]`);
  }
}

/** D(p, z) = -mean over the batch of cos(p, stopgrad(z)); no gradient reaches z. */
export function negativeCosine(p: tf.Tensor2D, z: tf.Tensor2D): tf.Scalar {
  checkPair(p, z, 'negativeCosine');
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(l2Normalize(p), l2Normalize(stopGradient(z))), 1))) as tf.Scalar);
}

/** Symmetrised SimSiam loss 0.5 D(p1, z2) + 0.5 D(p2, z1). */
export function symmetricNegCosine(p1: tf.Tensor2D, p2: tf.Tensor2D, z1: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.add(negativeCosine(p1, z2), negativeCosine(p2, z1))) as tf.Scalar);
}
