import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LensforgeError } from '../errors.js';
import { TOKENS } from '../di/tokens.js';
import { provide } from '../di/token.js';
import { isExportable, type Encoder, type Method, type Simulator, type TrainedNetwork } from '../contracts/index.js';
import { CheckpointStore, type Checkpoint } from '../io/checkpoint-store.js';
import { loadModelTensors } from '../io/checkpoint-tf.js';
import { readJsonFile } from '../io/json-file.js';
import { ComponentFactory } from '../registry/component-factory.js';
import type { Registry } from '../registry/registry.js';
import { loadPluginsInto } from '../registry/plugin-loader.js';
import { validateExperiment, type LoadedExperiment } from '../experiment/load-config.js';
import { prepareImageReaders } from '../dataset/image-files-simulator.js';
import { Rng } from '../tensor/rng.js';
import { selectBackend } from '../tensor/backend.js';
import { inputNormalisation, type InputNormalisation } from './input-normalisation.js';

/** A network of a trained run with its weights loaded, and where they came from. */
export interface LoadedNetwork extends TrainedNetwork {
  /** `checkpoints/<phase>/<tag>` the weights came from (for a shared network: its owner's). */
  checkpoint: string;
  inputShape: [number, number, number];
  normalisation: InputNormalisation;
}

/** A run directory rebuilt: its config, method and trained networks. */
export interface TrainedRun {
  dir: string;
  /** config.resolved.json as stored. */
  resolved: Record<string, unknown>;
  loaded: LoadedExperiment;
  methodName: string;
  imageShape: [number, number, number];
  networks: LoadedNetwork[];
  /** summary.json, when the run finished. */
  summary?: { metrics?: Record<string, number>; configHash?: string; [k: string]: unknown };
  /** The network of `role` (the first one), or an error naming the run and what it has. */
  network(role: string): LoadedNetwork;
  dispose(): void;
}

/** Keys of config.resolved.json that record the run rather than define it (not part of the experiment schema). */
const RECORD_KEYS = ['configHash', 'source', 'baseDir', 'versions', 'backendSelected', 'createdAt'];

/**
 * Rebuild a run from its directory: read config.resolved.json (plugins and components), load
 * the plugins it names, build the method through the registry, ask it for its trained networks
 * (the `export` capability) and load each one's weights from the newest intact checkpoint of its
 * phase. Errors name the run directory, the file and what is missing.
 */
export async function loadTrainedRun(runDir: string, registry: Registry): Promise<TrainedRun> {
  const dir = resolve(runDir);
  if (!existsSync(dir)) throw new LensforgeError(`${runDir}: no such directory; expected a run directory written by \`lensforge run\``);
  if (!statSync(dir).isDirectory()) throw new LensforgeError(`${runDir}: not a directory; expected a run directory written by \`lensforge run\``);
  const cfgFile = join(dir, 'config.resolved.json');
  if (!existsSync(cfgFile)) throw new LensforgeError(`${runDir}: not a run directory (no config.resolved.json); expected a directory written by \`lensforge run\``);
  const resolved = readJsonFile<Record<string, unknown>>(cfgFile, 'resolved config');
  const baseDir = typeof resolved.baseDir === 'string' ? resolved.baseDir
    : typeof resolved.source === 'string' ? dirname(resolve(resolved.source)) : process.cwd();
  const plugins = Array.isArray(resolved.plugins) ? (resolved.plugins as string[]) : [];
  try {
    await loadPluginsInto(registry, plugins, baseDir);
  } catch (e) {
    throw new LensforgeError(`${cfgFile}: plugins ${JSON.stringify(plugins)} (relative to ${baseDir}) could not be loaded: ${(e as Error).message}`, { cause: e });
  }
  const raw = Object.fromEntries(Object.entries(resolved).filter(([k, v]) => !RECORD_KEYS.includes(k) && v !== undefined && v !== null));
  if (raw.model && typeof raw.model === 'object') raw.model = Object.fromEntries(Object.entries(raw.model).filter(([, v]) => v !== undefined && v !== null));
  let loaded: LoadedExperiment;
  try {
    loaded = validateExperiment(raw, registry, cfgFile, baseDir);
  } catch (e) {
    throw new LensforgeError(`${cfgFile}: the stored config no longer validates with the installed components: ${(e as Error).message}`, { cause: e });
  }
  const c = loaded.components;
  // the backend the run asked for (LENSFORGE_BACKEND overrides), so inference runs as fast as training did
  await selectBackend(loaded.config.backend);
  const methodName = c.method.component.name;
  const root = Rng.fromSeed(loaded.config.seed);
  const factory = new ComponentFactory(registry, root);
  provide(factory.container, TOKENS.BaseDir, baseDir);
  await prepareImageReaders(raw, baseDir);
  const method = factory.build<Method>(c.method);
  if (!isExportable(method)) {
    throw new LensforgeError(`${runDir}: method ${methodName} has no export capability (exportNetworks); its networks cannot be rebuilt from the checkpoints`);
  }
  let sim: Simulator | undefined;
  const data = () => {
    if (!sim) {
      try { sim = factory.build<Simulator>(c.data); } catch (e) {
        throw new LensforgeError(`${cfgFile}: data (${c.data.component.name}) could not be built to learn the run's image shape: ${(e as Error).message}`, { cause: e });
      }
    }
    return sim;
  };
  const imageShape = [...data().imageShape] as [number, number, number];
  const ckptRoot = join(dir, 'checkpoints');
  const found = new Map<string, { ckpt: Checkpoint; tag: string }>();
  const phaseCheckpoint = (phase: string, missing?: string) => {
    let f = found.get(phase);
    if (!f) {
      const store = new CheckpointStore(join(ckptRoot, phase));
      const r = store.resume();
      if (!r.checkpoint || !r.tag) {
        const why = r.skipped.length ? `; rejected ${r.skipped.map((s) => `${s.tag} (${s.reason})`).join('; ')}` : '';
        throw new LensforgeError(`${runDir}: no checkpoint of phase ${phase} in ${join(ckptRoot, phase)}${missing ? `; ${missing}` : ''}${why}`);
      }
      f = { ckpt: r.checkpoint, tag: r.tag };
      found.set(phase, f);
    }
    return f;
  };
  const networks = method.exportNetworks({
    imageShape, rng: root.derive('export'), methodRng: root.derive('method'), factory, data,
    encoder: c.encoder ? factory.build<Encoder>(c.encoder) : undefined,
    checkpointState: (phase) => {
      try { return (phaseCheckpoint(phase).ckpt.state as { extra?: Record<string, unknown> }).extra; } catch { return undefined; }
    },
  });
  const normalisation = inputNormalisation(c.data.component.name, c.data.options as Record<string, unknown>);
  const out: LoadedNetwork[] = [];
  const dispose = () => { for (const n of networks) { try { n.model.dispose(); } catch { /* shared layers already disposed */ } } };
  try {
    let lastCheckpoint = '';
    for (const n of networks) {
      let where = lastCheckpoint;
      if (n.weights) {
        const { ckpt, tag } = phaseCheckpoint(n.weights.phase, n.weights.missing);
        where = `checkpoints/${n.weights.phase}/${tag}`;
        try {
          loadModelTensors(n.model, n.weights.prefix, ckpt.tensors);
        } catch (e) {
          throw new LensforgeError(`${join(dir, where, 'tensors.json')}: network "${n.name}" of ${methodName}: ${(e as Error).message}`, { cause: e });
        }
        lastCheckpoint = where;
      }
      const shape = n.model.inputs[0].shape.length === 4 ? (n.model.inputs[0].shape.slice(1) as number[]) : [];
      out.push({ ...n, checkpoint: where, inputShape: [shape[0] ?? imageShape[0], shape[1] ?? imageShape[1], shape[2] ?? imageShape[2]], normalisation });
    }
  } catch (e) {
    dispose();
    throw e;
  }
  const summary = existsSync(join(dir, 'summary.json')) ? readJsonFile<TrainedRun['summary']>(join(dir, 'summary.json'), 'run summary') : undefined;
  return {
    dir, resolved, loaded, methodName, imageShape, networks: out, summary, dispose,
    network(role: string): LoadedNetwork {
      const n = out.find((x) => x.role === role);
      if (!n) throw new LensforgeError(`${runDir}: method ${methodName} has no ${role} network (it has ${out.map((x) => `${x.name} (${x.role})`).join(', ') || 'none'})`);
      return n;
    },
  };
}

/** Run `model` in inference mode on a [B, H, W, C] batch; returns the values and the row width. */
export function predictBatch(model: tf.LayersModel, images: Float32Array, n: number, shape: readonly number[]): { values: Float32Array; dim: number } {
  return tf.tidy(() => {
    const x = tf.tensor4d(images, [n, shape[0], shape[1], shape[2]]);
    const y = model.predict(x) as tf.Tensor;
    const dim = y.shape.slice(1).reduce((a, b) => a * (b ?? 1), 1);
    return { values: Float32Array.from(y.dataSync() as Float32Array), dim };
  });
}
