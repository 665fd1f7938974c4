import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LensforgeError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/** Weight shards of at most this many bytes (`group1-shard1of3.bin` ...), as tfjs's converter writes them. */
export const SHARD_BYTES = 4 * 2 ** 20;

export interface SavedModelFiles { dir: string; files: string[]; weightBytes: number; classNames: string[] }

/**
 * Save a LayersModel as TF.js's `layers-model` format: `model.json` (topology + weights manifest)
 * and weight shards, written to a temp folder beside `dir` and renamed into place (a reader never
 * sees half a model; an old `dir` is replaced whole). Loadable with `tf.loadLayersModel` (e.g.
 * `tf.io.fromMemory` of the parsed files, or `file://…/model.json` with tfjs-node).
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string, extra: Record<string, unknown> = {}): Promise<SavedModelFiles> {
  let result: SavedModelFiles | undefined;
  const tmp = join(dirname(dir), `.${dir.split(/[\\/]/).pop()}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await model.save(tf.io.withSaveHandler(async (artifacts) => {
      if (!artifacts.modelTopology || !artifacts.weightSpecs) throw new LensforgeError(`saving ${dir}: tfjs gave no topology or weights`);
      const data = new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData ?? new ArrayBuffer(0)));
      const n = Math.max(1, Math.ceil(data.byteLength / SHARD_BYTES));
      const paths: string[] = [];
      for (let i = 0; i < n; i++) {
        const name = `group1-shard${i + 1}of${n}.bin`;
        writeFileAtomic(join(tmp, name), data.subarray(i * SHARD_BYTES, Math.min(data.byteLength, (i + 1) * SHARD_BYTES)));
        paths.push(name);
      }
      // model.json as tfjs's own handlers write it (tf.io.getModelJSONForModelArtifacts is not public)
      const json: Record<string, unknown> = {
        modelTopology: artifacts.modelTopology, format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      writeFileAtomic(join(tmp, 'model.json'), JSON.stringify({ ...json, ...extra }));
      result = { dir, files: ['model.json', ...paths], weightBytes: data.byteLength, classNames: layerClassNames(artifacts.modelTopology as Record<string, unknown>) };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }));
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return result!;
}

/** Every layer `class_name` in a Keras-style topology (nested models included), sorted. */
export function layerClassNames(topology: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) { v.forEach(walk); return; }
    const o = v as Record<string, unknown>;
    if (typeof o.class_name === 'string' && o.config && typeof o.config === 'object' && 'name' in (o.config as object)) out.add(o.class_name);
    Object.values(o).forEach(walk);
  };
  walk(topology);
  return [...out].sort();
}
