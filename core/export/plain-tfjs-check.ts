import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** Whether a saved model loads in a Node process that imports only `@tensorflow/tfjs`. */
export interface PlainLoadResult { dir: string; loadable: boolean; error?: string; customLayers: string[] }

/**
 * The script run in the child: `require('@tensorflow/tfjs')` only (no lensforge), read
 * model.json and its shards, `tf.loadLayersModel(tf.io.fromMemory(...))`, predict on zeros.
 * Prints one JSON line: the results and the layer classes plain tfjs knows.
 */
const SCRIPT = `
const tf = require(process.argv[1]);
const fs = require('fs'), path = require('path');
(async () => {
  const known = Object.keys(tf.serialization.SerializationMap.getMap().classNameMap);
  const results = [];
  for (const dir of process.argv.slice(2)) {
    try {
      const mj = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const specs = mj.weightsManifest.flatMap((g) => g.weights);
      const bufs = mj.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(dir, p)));
      const all = Buffer.concat(bufs);
      const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: mj.modelTopology, weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) }));
      const shape = model.inputs[0].shape.map((d) => d == null ? 1 : d);
      tf.dispose(model.predict(tf.zeros(shape)));
      results.push({ dir, loadable: true });
    } catch (e) { results.push({ dir, loadable: false, error: String(e && e.message || e) }); }
  }
  process.stdout.write(JSON.stringify({ known, results }) + '\\n');
})();
`;

/** Path of the `@tensorflow/tfjs` entry lensforge itself uses (the child loads the same copy). */
export function tfjsEntry(): string {
  return createRequire(import.meta.url).resolve('@tensorflow/tfjs');
}

/**
 * Load each exported model folder in a child process with plain tfjs and report which load; a
 * failure lists the layer classes of the model that plain tfjs does not know (`classNames` per dir).
 */
export function checkPlainTfjs(dirs: Array<{ dir: string; classNames: string[] }>): PlainLoadResult[] {
  if (!dirs.length) return [];
  const r = spawnSync(process.execPath, ['-e', SCRIPT, tfjsEntry(), ...dirs.map((d) => d.dir)], { encoding: 'utf8', timeout: 120000, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  const line = (r.stdout ?? '').split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) {
    return dirs.map((d) => ({ dir: d.dir, loadable: false, error: `the plain tfjs check did not run (exit ${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`, customLayers: [] }));
  }
  const parsed = JSON.parse(line) as { known: string[]; results: Array<{ dir: string; loadable: boolean; error?: string }> };
  const known = new Set(parsed.known);
  return parsed.results.map((res, i) => ({ ...res, customLayers: dirs[i].classNames.filter((c) => !known.has(c) && c !== 'Model' && c !== 'Functional' && c !== 'Sequential') }));
}
