/** Per-sample selection between candidate batches, used by the random augmentations. */
import * as tf from '@tensorflow/tfjs';

/**
 * out[b] = candidates[choice[b]][b] for a batch `[B, ...]`; every candidate has the same
 * shape. Exact (no arithmetic on the values). Caller owns the candidates.
 */
export function selectPerSample<T extends tf.Tensor>(candidates: T[], choice: number[]): T {
  return tf.tidy(() => {
    let out = candidates[0];
    const rank = out.rank;
    for (let k = 1; k < candidates.length; k++) {
      const mask = choice.map((c) => c === k);
      if (!mask.some(Boolean)) continue;
      const cond = tf.tensor(mask, [mask.length, ...Array<number>(rank - 1).fill(1)], 'bool');
      out = tf.where(cond, candidates[k], out) as T;
    }
    return out === candidates[0] ? (out.clone() as T) : out;
  });
}
