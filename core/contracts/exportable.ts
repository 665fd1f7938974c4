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
