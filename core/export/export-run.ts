import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonAtomic } from '../io/atomic-write.js';
import { versions } from '../experiment/versions.js';
import type { Registry } from '../registry/registry.js';
import { loadTrainedRun } from './load-trained-run.js';
import { saveLayersModel, type SavedModelFiles } from './save-layers-model.js';
import { checkPlainTfjs, type PlainLoadResult } from './plain-tfjs-check.js';

/** File name of the model card beside the exported networks. */
export const MODEL_CARD = 'lensforge-model.json';

/** How a plain script loads an exported network (written into the model card). */
export const HOW_TO_LOAD = "const tf = require('@tensorflow/tfjs'); const mj = JSON.parse(fs.readFileSync('<network>/model.json')); " +
  "const w = Buffer.concat(mj.weightsManifest[0].paths.map((p) => fs.readFileSync('<network>/' + p))); " +
  'const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: mj.modelTopology, weightSpecs: mj.weightsManifest[0].weights, ' +
  'weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) })); // with @tensorflow/tfjs-node: tf.loadLayersModel(\'file://<network>/model.json\')';

export interface ExportResult { out: string; card: Record<string, unknown>; plain: PlainLoadResult[] }

/**
 * `lensforge export RUN_DIR --out DIR`: every trained network of the run as a TF.js LayersModel
 * (`DIR/<network>/model.json` + weight shards, each folder written atomically), loaded once in a
 * child process with plain tfjs to report whether it needs lensforge (custom layers), and the
 * model card `DIR/lensforge-model.json`: input shape and normalisation, outputs, components and
 * options, training data, final metrics, versions and git commit, config hash.
 */
export async function exportRun(runDir: string, outDir: string, registry: Registry): Promise<ExportResult> {
  const run = await loadTrainedRun(runDir, registry);
  const out = resolve(outDir);
  try {
    mkdirSync(out, { recursive: true });
    const saved: SavedModelFiles[] = [];
    for (const n of run.networks) saved.push(await saveLayersModel(n.model, join(out, n.name)));
    const plain = checkPlainTfjs(saved.map((s) => ({ dir: s.dir, classNames: s.classNames })));
    const r = run.resolved;
    const v = versions();
    const card = {
      format: 'lensforge-model', formatVersion: 1,
      name: r.name, method: run.methodName, configHash: r.configHash, run: run.dir,
      exportedAt: new Date().toISOString(),
      lensforge: { version: v.lensforge, gitCommit: v.gitCommit ?? null, tfjs: v.tfjs },
      trainedWith: r.versions ?? null,
      networks: run.networks.map((n, i) => ({
        name: n.name, role: n.role, description: n.description,
        files: saved[i].files.map((f) => `${n.name}/${f}`), weightBytes: saved[i].weightBytes,
        ...(n.model.inputs[0].shape.length === 4
          ? { inputShape: [null, ...n.inputShape], inputLayout: 'NHWC float32', inputNormalisation: n.normalisation }
          : { inputShape: n.model.inputs[0].shape, inputLayout: 'float32' }),
        output: { ...n.output, shape: n.model.outputs[0].shape },
        weightsFrom: n.checkpoint,
        layerClasses: saved[i].classNames,
        plainTfjs: plain[i].loadable
          ? { loadable: true }
          : { loadable: false, error: plain[i].error, needsLensforge: plain[i].customLayers },
      })),
      components: {
        data: r.data, augment: r.augment ?? null,
        encoder: (r.model as Record<string, unknown> | undefined)?.encoder ?? null,
        method: (r.model as Record<string, unknown> | undefined)?.method ?? null,
        loss: r.loss ?? null, evaluate: r.evaluate ?? [],
      },
      plugins: r.plugins ?? [],
      trainingData: r.data,
      train: r.train, seed: r.seed,
      metrics: run.summary?.metrics ?? null,
      howToLoad: HOW_TO_LOAD,
    };
    writeJsonAtomic(join(out, MODEL_CARD), card);
    return { out, card, plain };
  } finally {
    run.dispose();
  }
}
