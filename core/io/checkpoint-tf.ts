import * as tf from '@tensorflow/tfjs';
import type { StoredTensor } from './checkpoint-store.js';

/** Model weights as stored tensors keyed `prefix/i` (construction order; layer names carry per-process counters). */
export function modelTensors(model: tf.LayersModel, prefix: string): Record<string, StoredTensor> {
  const out: Record<string, StoredTensor> = {};
  model.weights.forEach((w, i) => {
    const v = w.read();
    out[`${prefix}/${i}`] = { shape: v.shape.slice(), data: Float32Array.from(v.dataSync() as Float32Array) };
  });
  return out;
}

/** Restore weights saved by `modelTensors`; shapes must match. */
export function loadModelTensors(model: tf.LayersModel, prefix: string, tensors: Record<string, StoredTensor>): void {
  const values = model.weights.map((w, i) => {
    const key = `${prefix}/${i}`;
    const t = tensors[key];
    if (!t) throw new Error(`checkpoint has no weight "${key}" (was the model architecture changed?)`);
    if (t.shape.join(',') !== w.shape.join(',')) throw new Error(`checkpoint weight "${key}": shape [${t.shape}] does not match the model's [${w.shape}]`);
    return tf.tensor(t.data, t.shape);
  });
  model.setWeights(values);
  values.forEach((v) => v.dispose());
}

/** Optimizer slots (momentum, Adam moments, iteration count) as named stored tensors. */
export async function optimizerTensors(opt: tf.Optimizer, prefix: string): Promise<Record<string, StoredTensor>> {
  const ws = await opt.getWeights();
  const out: Record<string, StoredTensor> = {};
  ws.forEach((w, i) => {
    out[`${prefix}/${i}:${w.name}`] = { shape: w.tensor.shape.slice(), data: Float32Array.from(w.tensor.dataSync() as Float32Array) };
  });
  for (const [key, v] of Object.entries(hiddenSlots(opt))) {
    out[`${prefix}#${key}`] = { shape: [], data: Float32Array.from(v.dataSync() as Float32Array) };
  }
  return out;
}

/**
 * Optimizer state that tfjs keeps outside `getWeights()`: Adam's running β-powers `accBeta1`,
 * `accBeta2` (updated by repeated float32 multiplication each step). tfjs's `setWeights`
 * recomputes them as `pow(β, iterations + 1)`, which rounds differently, so a resumed run would
 * drift from an uninterrupted one; we save and restore them as they are.
 */
function hiddenSlots(opt: tf.Optimizer): Record<string, tf.Variable> {
  const o = opt as unknown as Record<string, unknown>;
  const out: Record<string, tf.Variable> = {};
  for (const key of ['accBeta1', 'accBeta2']) {
    const v = o[key];
    if (v instanceof tf.Variable) out[key] = v;
  }
  return out;
}

export async function loadOptimizerTensors(opt: tf.Optimizer, prefix: string, tensors: Record<string, StoredTensor>): Promise<void> {
  const entries = Object.entries(tensors).filter(([k]) => k.startsWith(prefix + '/'))
    .map(([k, t]) => ({ idx: Number(k.slice(prefix.length + 1).split(':')[0]), name: k.slice(k.indexOf(':', prefix.length + 1) + 1), t }))
    .sort((a, b) => a.idx - b.idx);
  if (entries.length === 0) return;
  const named = entries.map((e) => ({ name: e.name, tensor: tf.tensor(e.t.data, e.t.shape) }));
  await opt.setWeights(named);
  named.forEach((n) => n.tensor.dispose());
  for (const [key, v] of Object.entries(hiddenSlots(opt))) {
    const t = tensors[`${prefix}#${key}`];
    if (!t) continue; // a checkpoint written before these were saved: tfjs's pow() estimate stays
    v.assign(tf.scalar(t.data[0]));
  }
}
