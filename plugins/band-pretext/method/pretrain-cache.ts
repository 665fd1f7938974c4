/**
 * Sharing one pre-trained extractor between runs. In the label-fraction study (Liang et al.
 * 2021, §3.2-3.3) the feature extractor is pre-trained once and then fine-tuned at every label
 * fraction; a bench runs each (fraction, seed) as its own run, so the pre-trained weights are
 * stored under a key that hashes everything pre-training depends on (task, extractor and
 * pretext options, stretch, the seed's random stream, the catalogue's pixels and split).
 */
import * as tf from '@tensorflow/tfjs';
import { isAbsolute, join, resolve } from 'node:path';
import { CheckpointStore, loadModelTensors, modelTensors } from '../../../core/index.js';

/** 32-bit FNV-1a over a string, continuing from `h`. */
export function fnv1aString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

/** 32-bit FNV-1a over the bytes of float32 data (hashed as 32-bit words), continuing from `h`. */
export function fnv1aFloat32(data: Float32Array, h = 0x811c9dc5): number {
  const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < words.length; i++) { h ^= words[i]; h = Math.imul(h, 0x01000193) >>> 0; }
  return h >>> 0;
}

/** Cache key: hex of two independent FNV-1a hashes of the description and the data. */
export function pretrainKey(description: unknown, data: Float32Array, split: readonly number[]): string {
  const text = JSON.stringify(description) + '|' + split.join(',');
  const a = fnv1aFloat32(data, fnv1aString(text));
  const b = fnv1aFloat32(data, fnv1aString(text, 0x01234567));
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** Resolve the cache folder of `key`: `dir` is taken relative to the run directory unless absolute. */
export function cacheFolder(runDir: string, dir: string, task: string, key: string): string {
  return join(isAbsolute(dir) ? dir : resolve(runDir, dir), `${task}-${key}`);
}

/** Load a cached extractor and pretext head into the given models; returns the saved metrics, or undefined when absent. */
export function loadCachedPretext(folder: string, extractor: tf.LayersModel, head: tf.LayersModel): Record<string, number> | undefined {
  const ck = new CheckpointStore(folder).load();
  if (!ck) return undefined;
  loadModelTensors(extractor, 'model:extractor', ck.tensors);
  loadModelTensors(head, 'model:head', ck.tensors);
  return (ck.state.metrics ?? {}) as Record<string, number>;
}

/** Store the pre-trained extractor and pretext head with their pretext metrics. */
export function saveCachedPretext(folder: string, extractor: tf.LayersModel, head: tf.LayersModel, metrics: Record<string, number>, description: unknown): void {
  new CheckpointStore(folder, 1).save('final', {
    state: { metrics, description, savedAt: new Date().toISOString() },
    tensors: { ...modelTensors(extractor, 'model:extractor'), ...modelTensors(head, 'model:head') },
  });
}
