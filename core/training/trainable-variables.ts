import * as tf from '@tensorflow/tfjs';

/**
 * The tf.Variables behind the trainable weights of `models`, in a fixed order (models in the
 * order given, each model's trainable weights in construction order), each variable once (a
 * model nested in another, or shared layers, are not counted twice). The order matters: the
 * optimizers keep their slots by position.
 */
export function trainableVariables(...models: tf.LayersModel[]): tf.Variable[] {
  const seen = new Set<string>();
  const out: tf.Variable[] = [];
  for (const m of models) {
    for (const w of m.trainableWeights) {
      const v = w.read() as tf.Variable;
      if (!seen.has(v.name)) { seen.add(v.name); out.push(v); }
    }
  }
  return out;
}
