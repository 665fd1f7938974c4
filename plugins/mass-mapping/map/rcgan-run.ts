import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ComponentFactory, LensforgeError, loadTrainedRun, readJsonFile, Rng, type LoadedNetwork, type Registry, type Simulator, type TrainedRun,
} from '../../../core/index.js';
import type { ConditionSpec } from '../method/condition.js';
import type { RcganMassMappingMethod } from '../components/rcgan-method.js';

export const RCGAN_METHOD = 'mass-mapping/rcgan';

/** A trained rcGAN run, opened for mapping: its grid, condition, generator and training noise. */
export interface RcganRun {
  dir: string;
  /** Map side and pixel scale the generator was trained on (data size; model.method.forward.pixelArcmin). */
  n: number;
  pixelArcmin: number;
  /** Per-pixel noise σ of the training shear (forward model). */
  trainSigma: number;
  spec: ConditionSpec;
  /** The generator takes a mask channel (the run's forward model had holes). */
  masked: boolean;
  latentChannels: number;
  /** κ scale s: the generator's output × s is κ. */
  scale: number;
  generator: LoadedNetwork;
  /** The run's κ simulator (the Wiener prior of `--estimator wf` with a RUN_DIR). */
  simulator(): Simulator;
  trained: TrainedRun;
  dispose(): void;
}

/** The method a run directory was made with (model.method.use of config.resolved.json), or an error naming the directory. */
export function runMethodName(runDir: string): string {
  const cfg = join(runDir, 'config.resolved.json');
  if (!existsSync(cfg)) throw new LensforgeError(`RUN_DIR ${runDir}: not a run directory (no config.resolved.json); expected a directory written by \`lensforge run\` with model.method ${RCGAN_METHOD}`);
  const r = readJsonFile<{ model?: { method?: { use?: unknown } | string } }>(cfg, 'resolved config');
  const m = r.model?.method;
  return typeof m === 'string' ? m : String(m?.use ?? '(none)');
}

/**
 * Open a trained `mass-mapping/rcgan` run through the export capability (loadTrainedRun: the
 * generator rebuilt and its weights loaded from the newest intact checkpoint of phase `train`).
 * A run of another method is refused naming its method.
 */
export async function openRcganRun(runDir: string, registry: Registry): Promise<RcganRun> {
  const method = runMethodName(runDir);
  if (method !== RCGAN_METHOD) {
    throw new LensforgeError(`RUN_DIR ${runDir}: a run of method ${method}; lensforge map needs a trained ${RCGAN_METHOD} run (e.g. lensforge run examples/mass-mapping-quick.yaml), or no RUN_DIR with --estimator ks|wf`);
  }
  const trained = await loadTrainedRun(runDir, registry);
  try {
    const generator = trained.network('generator');
    const scale = generator.output.scale?.[0];
    if (!(typeof scale === 'number' && scale > 0)) throw new LensforgeError(`RUN_DIR ${runDir}: the checkpoint of phase train records no κ scale (kappaScale); re-run training`);
    const factory = new ComponentFactory(registry, Rng.fromSeed(trained.loaded.config.seed));
    const m = factory.build<RcganMassMappingMethod>(trained.loaded.components.method);
    const n = trained.imageShape[0];
    const { spec, masked, forward, latentChannels } = m.conditionSpec(n);
    let sim: Simulator | undefined;
    return {
      dir: trained.dir, n, pixelArcmin: forward.opts.pixelArcmin, trainSigma: forward.sigma, spec, masked, latentChannels, scale, generator, trained,
      simulator: () => (sim ??= factory.build<Simulator>(trained.loaded.components.data)),
      dispose: () => trained.dispose(),
    };
  } catch (e) {
    trained.dispose();
    throw e;
  }
}
