/**
 * A tiny DCGAN experiment for the gan plugin's tests: 16x16 toy maps, small networks, a metric
 * that records what the method hands to metrics, and helpers that run it through the real
 * experiment runner (and interrupt it as a killed run would be).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  component, createRegistry, definePlugin, inject, MemoryLogger, runExperiment, SilentProgress, TOKENS, validateExperiment, z,
  type EvalContext, type Metric, type Registry, type RunResult, type Rng, type Sample, type Simulator,
} from '../../../core/index.js';
import { testBackendRequest } from '../../../core/testing/test-backend.js';

/** 16x16 smooth random maps (sums of two random cosines, pixels in ±0.2), deterministic per (split, index). */
@component({ kind: 'simulator', name: 'test/cosine-maps', description: 'tiny smooth maps for GAN tests', options: z.strictObject({ count: z.number().int().default(64) }) })
export class CosineMaps implements Simulator {
  readonly imageShape = [16, 16, 1] as const;
  readonly labelNames = [] as const;
  readonly size: number;
  constructor(@inject(TOKENS.Options) o: { count: number }, @inject(TOKENS.Rng) private readonly rng: Rng) { this.size = o.count; }
  sample(i: number, split = 'train'): Sample {
    const r = this.rng.derive(`${split}:${i}`);
    const [a, b, p] = [r.uniform(0.2, 1), r.uniform(0.2, 1), r.uniform(0, 6.28)];
    return { image: Float32Array.from({ length: 256 }, (_, k) => 0.1 * (a * Math.cos((k % 16) / 2 + p) + b * Math.sin(Math.floor(k / 16) / 3))), labels: {} };
  }
}

/** What the probe saw at each evaluation. */
export const probeSeen: Array<Record<string, unknown>> = [];

/** Records what the method hands to metrics; returns the mean generated pixel and an FNV-1a hash of the generated maps' bytes. */
@component({ kind: 'metric', name: 'test/map-probe', description: 'records EvalContext.extra', options: z.strictObject({}) })
export class MapProbe implements Metric {
  readonly requires = ['extra'] as const;
  async evaluate(ctx: EvalContext) {
    const e = ctx.extra as { generatedMaps: Float32Array[]; validationMaps: Float32Array[]; mapSize: number; epoch?: number };
    probeSeen.push({ nGen: e.generatedMaps.length, nVal: e.validationMaps.length, mapSize: e.mapSize, epoch: e.epoch, len: e.generatedMaps[0].length });
    let s = 0, h = 2166136261;
    for (const m of e.generatedMaps) {
      for (const v of m) s += v;
      for (const byte of new Uint8Array(m.buffer, m.byteOffset, m.byteLength)) h = Math.imul(h ^ byte, 16777619) >>> 0;
    }
    return { probe_meanPixel: s / (e.generatedMaps.length * e.mapSize * e.mapSize), probe_hash: h };
  }
}

/** The core and built-in plugins (gan, cosmology ...) plus the test components. */
export async function ganTestRegistry(): Promise<Registry> {
  const reg = await createRegistry();
  reg.loadPlugin(definePlugin({ name: 'test', components: [CosineMaps, MapProbe] }));
  return reg;
}

export const TINY_DCGAN = {
  preset: 'quick',
  generator: { channels: [8, 4], referenceSize: 2 },
  discriminator: { channels: [4, 8], minibatch: { kernels: 2, kernelDim: 3 } },
  evalMaps: 6, evalBatch: 4, sampleGrid: 2, stabilityEpochs: 2,
  pixelTransform: { kind: 'affine', scale: 0.25 },
};

export interface TinyRun {
  loss?: unknown;
  method?: Record<string, unknown>;
  train?: Record<string, unknown>;
  evaluate?: unknown[];
  data?: Record<string, unknown>;
  out?: string;
  resume?: boolean;
  logger?: MemoryLogger;
}

/** The tiny experiment's raw config (seed 3, 64 maps, 1 epoch of 2 steps at batch 4 unless `train` says otherwise). */
export function tinyConfig(r: TinyRun = {}): Record<string, unknown> {
  return {
    name: 'tiny-gan', seed: 3, backend: testBackendRequest(), data: { use: 'test/cosine-maps', count: 64, ...r.data },
    model: { method: { use: 'gan/dcgan', ...TINY_DCGAN, ...r.method } }, loss: r.loss ?? 'gan/hinge',
    train: { epochs: 1, batchSize: 4, trainSize: 8, ...r.train }, evaluate: r.evaluate ?? [{ use: 'test/map-probe' }],
  };
}

/** Run the tiny experiment through the real runner (a fresh temp run directory unless `out`). */
export async function runTinyGan(reg: Registry, r: TinyRun = {}): Promise<RunResult & { out: string }> {
  const out = r.out ?? join(mkdtempSync(join(tmpdir(), 'lf-gan-')), 'run');
  const res = await runExperiment(validateExperiment(tinyConfig(r), reg), {
    registry: reg, out, logger: r.logger ?? new MemoryLogger(), progress: new SilentProgress(), resume: r.resume ?? false, overwrite: !r.resume,
  });
  return { ...res, out };
}

/**
 * Turn a finished run directory into the one a run killed right after checkpointing epoch
 * `epoch` (0-based) leaves: later checkpoints, the summary and later records removed,
 * latest.json naming that checkpoint. The store keeps the newest two checkpoints, so `epoch` is
 * the last but one of the run.
 */
export function interruptAfter(out: string, epoch: number): void {
  const dir = join(out, 'checkpoints', 'train');
  const tag = `epoch-${String(epoch).padStart(4, '0')}`;
  if (!existsSync(join(dir, tag))) throw new Error(`interruptAfter: ${dir} holds no checkpoint ${tag} (it has ${readdirSync(dir).join(', ')})`);
  for (const e of readdirSync(dir)) if (e.startsWith('epoch-') && e > tag) rmSync(join(dir, e), { recursive: true });
  writeFileSync(join(dir, 'latest.json'), JSON.stringify({ tag, savedAt: new Date().toISOString() }));
  rmSync(join(out, 'summary.json'));
  const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  const kept = lines.filter((l) => { const r = JSON.parse(l) as { phase?: string; epoch?: number }; return r.phase === 'train' && (r.epoch ?? Infinity) <= epoch; });
  writeFileSync(join(out, 'metrics.jsonl'), kept.map((l) => l + '\n').join(''));
}

/** The train records of a run without their timing fields. */
export function trainRecords(res: RunResult): Array<Record<string, unknown>> {
  return res.runDir.readRecords().filter((r) => r.phase === 'train').map(({ time: _t, seconds: _s, msPerStep: _m, ...r }) => r);
}
