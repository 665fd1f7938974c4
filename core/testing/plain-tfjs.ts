/**
 * Test helpers for exported models: run an exported TF.js LayersModel in a child process that
 * imports only `@tensorflow/tfjs` (no lensforge), as a user's plain script would, and compare
 * arrays.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Outputs of the model in `modelDir` (model.json + shards) for `images` of `shape` [H, W, C], one row per image. */
export function plainTfjsOutputs(modelDir: string, images: ArrayLike<number>[], shape: number[]): number[][] {
  const tmp = mkdtempSync(join(tmpdir(), 'lf-plain-tfjs-'));
  const inputs = join(tmp, 'inputs.json');
  writeFileSync(inputs, JSON.stringify(images.map((a) => Array.from(a))));
  const script = `
    const tf = require('@tensorflow/tfjs'); const fs = require('fs'); const path = require('path');
    (async () => {
      const dir = process.argv[1];
      const mj = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const w = Buffer.concat(mj.weightsManifest[0].paths.map((p) => fs.readFileSync(path.join(dir, p))));
      const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: mj.modelTopology, weightSpecs: mj.weightsManifest[0].weights, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) }));
      const x = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
      const shape = JSON.parse(process.argv[3]);
      const y = model.predict(tf.tensor4d(x.flat(), [x.length, ...shape]));
      process.stdout.write('\\nRESULT ' + JSON.stringify(await y.array()) + '\\n');
    })().catch((e) => { console.error(e.message); process.exit(3); });`;
  try {
    const r = spawnSync(process.execPath, ['-e', script, modelDir, inputs, JSON.stringify(shape)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`plain tfjs child process exited with ${r.status}: ${r.stderr}`);
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`plain tfjs child process printed no RESULT line: ${r.stdout}`);
    return JSON.parse(line.slice(7)) as number[][];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Largest |a[i] - b[i]|; throws when the lengths differ. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`maxAbsDiff: lengths differ (${a.length} vs ${b.length})`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
