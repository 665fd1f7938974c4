import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { container as rootContainer } from 'tsyringe';
import { LensforgeError } from '../errors.js';
import { TOKENS } from '../di/tokens.js';
import { ConsoleLogger, type Logger } from '../di/logger.js';
import { TerminalProgress, type ProgressReporter } from '../di/progress.js';
import { RunDir } from '../io/run-dir.js';
import { ComponentFactory } from '../registry/component-factory.js';
import type { Registry, ResolvedSpec } from '../registry/registry.js';
import { Rng } from '../tensor/rng.js';
import { selectBackend } from '../tensor/backend.js';
import type { Augmenter, Encoder, LossBase, Method, Metric, RunMetrics, Simulator } from '../contracts/index.js';
import type { LoadedExperiment } from './load-config.js';
import { stableHash } from './stable-hash.js';
import { versions } from './versions.js';
import { prepareImageReaders } from '../dataset/image-files-simulator.js';

export interface RunOptions {
  registry: Registry;
  /** Run directory (default `runs/<name>`). */
  out?: string;
  /** Continue from the last checkpoint in `out`. */
  resume?: boolean;
  /** Allow re-using an existing run directory without --resume (its run is started over). */
  overwrite?: boolean;
  logger?: Logger;
  progress?: ProgressReporter;
  /** Label for figures and tables (bench variant). */
  tag?: string;
  /** Extra services registered before components are built (tests swap services here). */
  services?: Array<{ token: symbol; value: unknown }>;
}

export interface RunResult { runDir: RunDir; metrics: RunMetrics; summary: Summary }

export interface Summary {
  name: string;
  tag: string;
  seed: number;
  configHash: string;
  backend: string;
  metrics: RunMetrics;
  wallSeconds: number;
  finishedAt: string;
}

/** The part of a loaded experiment that defines a run (what resume and caching compare). */
export function resolvedConfig(loaded: LoadedExperiment): Record<string, unknown> {
  const spec = (s?: ResolvedSpec) => (s ? { use: s.component.name, ...s.options } : undefined);
  const c = loaded.config;
  const comps = loaded.components;
  return {
    name: c.name, seed: c.seed, backend: c.backend, plugins: c.plugins,
    data: spec(comps.data), augment: spec(comps.augment),
    model: { encoder: spec(comps.encoder), method: spec(comps.method) },
    loss: spec(comps.loss), train: c.train, evaluate: comps.evaluate.map(spec),
  };
}

/** Hash of what defines a run's numbers (the cosmetic `name` is left out, so renamed configs re-use runs). */
export function configHashOf(loaded: LoadedExperiment): string {
  return stableHash({ ...resolvedConfig(loaded), name: undefined });
}

/**
 * Build every component of a validated experiment through the registry and run its method,
 * writing config.resolved.json, metrics.jsonl, checkpoints/, plots/ and summary.json.
 */
export async function runExperiment(loaded: LoadedExperiment, opts: RunOptions): Promise<RunResult> {
  const t0 = Date.now();
  const logger = opts.logger ?? new ConsoleLogger();
  const progress = opts.progress ?? new TerminalProgress();
  const cfg = loaded.config;
  const outPath = opts.out ?? join('runs', cfg.name);
  const resolved = resolvedConfig(loaded);
  const configHash = configHashOf(loaded);

  if (existsSync(join(outPath, 'config.resolved.json'))) {
    const prev = new RunDir(outPath).readJson<{ configHash?: string }>('config.resolved.json');
    if (opts.resume) {
      if (prev?.configHash !== configHash) {
        throw new LensforgeError(`--resume: ${outPath} holds a run of a different configuration (hash ${prev?.configHash} vs ${configHash}); use another --out`);
      }
    } else if (!opts.overwrite) {
      throw new LensforgeError(`run directory ${outPath} already holds a run; pass --resume to continue it, or --out DIR for a new one`);
    }
  }
  const runDir = new RunDir(outPath);
  const resume = !!opts.resume && runDir.hasCheckpoints();
  if (!resume) runDir.truncateRecords(() => false);

  const backend = await selectBackend(cfg.backend, { log: (m) => logger.debug(m) });
  logger.info(`[${opts.tag ?? cfg.name}] backend ${backend.kind} (${tf.getBackend()}), seed ${cfg.seed}, run dir ${runDir.path}${resume ? ' (resuming)' : ''}`);

  runDir.writeJson('config.resolved.json', {
    ...resolved, configHash, source: loaded.source, versions: versions(), backendSelected: backend.kind,
    createdAt: new Date().toISOString(),
  });

  const rootRng = Rng.fromSeed(cfg.seed);
  const container = rootContainer.createChildContainer();
  container.register(TOKENS.Logger, { useValue: logger });
  container.register(TOKENS.Progress, { useValue: progress });
  container.register(TOKENS.RunDir, { useValue: runDir });
  container.register(TOKENS.Backend, { useValue: backend });
  container.register(TOKENS.BaseDir, { useValue: loaded.baseDir });
  for (const s of opts.services ?? []) container.register(s.token, { useValue: s.value });
  await prepareImageReaders(loaded.raw, loaded.baseDir);
  const factory = new ComponentFactory(opts.registry, rootRng, container);
  const c = loaded.components;
  const method = factory.build<Method>(c.method);
  const metrics = c.evaluate.map((m) => ({ name: m.component.name, path: m.path, metric: factory.build<Metric>(m) }));
  const result = await method.run({
    data: factory.build<Simulator>(c.data),
    augment: c.augment ? factory.build<Augmenter>(c.augment) : undefined,
    encoder: c.encoder ? factory.build<Encoder>(c.encoder) : undefined,
    loss: c.loss ? factory.build<LossBase>(c.loss) : undefined,
    metrics,
    train: cfg.train,
    runDir,
    rng: rootRng.derive('method'),
    logger, progress, resume,
    tag: opts.tag ?? cfg.name,
  });
  const summary: Summary = {
    name: cfg.name, tag: opts.tag ?? cfg.name, seed: cfg.seed, configHash, backend: backend.kind,
    metrics: result, wallSeconds: (Date.now() - t0) / 1000, finishedAt: new Date().toISOString(),
  };
  runDir.writeJson('summary.json', summary);
  return { runDir, metrics: result, summary };
}
