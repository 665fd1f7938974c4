import type * as tf from '@tensorflow/tfjs';
import type { ComponentFactory } from '../registry/component-factory.js';
import type { Rng } from '../tensor/rng.js';
import type { Encoder } from './encoder.js';
import type { Simulator } from './simulator.js';

/** What a trained network is for (`embed` uses the `encoder`, `predict` the `head`s). */
export type NetworkRole = 'encoder' | 'head' | 'generator' | 'discriminator' | (string & {});

/** What a network's output means. */
export interface NetworkOutput {
  /** `embedding`: [B, D] features; `prediction`: [B, targets.length] label estimates; `image`: maps. */
  kind: 'embedding' | 'prediction' | 'image';
  /** prediction: the label each output column estimates (e.g. `theta_E`). */
  targets?: string[];
  /**
   * prediction: the label normalisation used in training, undone as `label = y * scale + offset`
   * per column (absent: the network predicts labels in their own units).
   */
  scale?: number[];
  offset?: number[];
  /**
   * prediction: how `scatter` in the predict metrics is defined: `rms` of the residuals (default)
   * or `std-abs-error`, the sample standard deviation of |y - ŷ| (Liang et al. 2021's "Sigma").
   */
  scatter?: 'rms' | 'std-abs-error';
  /** image: the units of the maps after `pixelTransform` is inverted (e.g. the training data's κ units). */
  units?: string;
  /**
   * image: the transform from data units to the network's output range, with its constants
   * resolved (e.g. `{ kind: 'cosmogan', shift, a }`); a map in data units is its inverse applied
   * to the output. Recorded in the model card.
   */
  pixelTransform?: Record<string, unknown> & { kind: string; description?: string };
  /**
   * generator: its input: `dim` latent values per map drawn from `distribution`; when
   * `referenceRows` > 0 (virtual batch norm) every input batch must start with those fixed rows
   * (`referenceLatents`, row-major [referenceRows, dim]) and the output's first rows are dropped.
   */
  latent?: { dim: number; distribution: 'standard-normal'; referenceRows: number; referenceLatents?: number[] };
}

/** One trained network of a run, built with the run's architecture (weights not yet loaded). */
export interface TrainedNetwork {
  /** Folder name in an export and the name commands use (`encoder`, `downstream`, ...). */
  name: string;
  role: NetworkRole;
  /** One line: what it maps to what. */
  description: string;
  /** The model; it takes the data's images ([B, H, W, C], normalised as the run's data were). */
  model: tf.LayersModel;
  /**
   * Where its weights are: the checkpoint phase (`checkpoints/<phase>/`) and the weight prefix
   * (`model:<name>`, the name the method gave runTrainingLoop). Absent when the network shares
   * its weights with another network of the list, loaded with that one (e.g. the encoder inside
   * a regressor).
   */
  weights?: { phase: string; prefix: string; missing?: string };
  output: NetworkOutput;
}

/** What a method gets to rebuild its networks from a run's resolved config. */
export interface ExportContext {
  /** Shape of the run's images (H, W, C). */
  imageShape: readonly [number, number, number];
  /** The run's encoder component (model.encoder), built through the registry. */
  encoder?: Encoder;
  /** A random stream for initialisers (the loaded weights replace what it draws). */
  rng: Rng;
  /**
   * The method's own stream as the run gave it (MethodContext.rng: the run seed's `method`
   * stream), for what a method drew at build time and did not checkpoint (e.g. fixed latents).
   */
  methodRng: Rng;
  /** `extra` (the method's saveState) of the newest intact checkpoint of `phase`, if any. */
  checkpointState(phase: string): Record<string, unknown> | undefined;
  /** The run's data simulator, built as the run built it (for what a checkpoint does not record). */
  data(): Simulator;
  factory: ComponentFactory;
}

/**
 * The `export` capability of a method: which trained networks it has and how to rebuild them.
 * `lensforge export`, `embed` and `predict` use it; a method without it cannot be exported.
 */
export interface ExportableMethod {
  /** The run's trained networks, built (not loaded): the core loads each from its checkpoint. */
  exportNetworks(ctx: ExportContext): TrainedNetwork[];
}

/** True when `m` has the export capability. */
export function isExportable(m: unknown): m is ExportableMethod {
  return !!m && typeof (m as { exportNetworks?: unknown }).exportNetworks === 'function';
}
