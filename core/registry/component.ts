import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { injectable } from 'tsyringe';
import type { z } from 'zod';
import type { EstimateBytes } from './allocation-limit.js';

/** The kinds the core declares. Plugins may declare more with `Registry.declareKind`. */
export const CORE_KINDS = {
  simulator: 'produces labelled images (from physics or from disk)',
  augmenter: 'turns a batch (or the scene behind it) into a new view',
  encoder: 'a network that maps images to feature vectors',
  loss: 'an objective a method minimises',
  metric: 'a number (or figure) computed on a trained model or its outputs',
  method: 'the trainer that ties data, model, losses and metrics together',
  analysis: 'a post-hoc study of a trained model (e.g. occlusion maps)',
} as const;

export type CoreKind = keyof typeof CORE_KINDS;
export type ComponentKind = CoreKind | (string & {});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Constructor<T = unknown> = new (...args: any[]) => T;

/** What a component declares about itself: the only registry-specific line a component has. */
export interface ComponentInfo<S extends z.ZodType = z.ZodType> {
  kind: ComponentKind;
  /** Namespaced name, `plugin/name`, stable across bundling. */
  name: string;
  /** One line shown by `lensforge list`. */
  description: string;
  /** zod schema of the options, with defaults. Must accept an object. */
  options: S;
  /**
   * Optional: the bytes its buffers need for given (parsed) options. The registry refuses, at
   * validation, options whose estimate exceeds the allocation limit (`LENSFORGE_MAX_ALLOC_MB`).
   */
  estimateBytes?: EstimateBytes;
}

const INFO_KEY = Symbol.for('lensforge:component');
const ORIGIN_KEY = Symbol.for('lensforge:component-origin');
/**
 * This copy of lensforge (the file of this module). `@component` stamps it on the class, so a
 * registry can tell a class decorated by another installed copy of lensforge, whose tsyringe
 * container (a different copy too) would not know how to build it.
 */
export const LENSFORGE_COPY = fileURLToPath(import.meta.url);
const NAME_RE = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9./-]*$/;

/**
 * Class decorator: makes the class tsyringe-injectable and attaches its registry information.
 * It does NOT register anything: plugins list their components in a manifest (`definePlugin`).
 */
export function component<S extends z.ZodType>(info: ComponentInfo<S>) {
  if (!NAME_RE.test(info.name)) {
    throw new Error(`component name: expected "plugin/name" in lower-case kebab-case, got "${info.name}"`);
  }
  return <T extends Constructor>(target: T): T => {
    injectable()(target);
    Reflect.defineMetadata(INFO_KEY, info, target);
    Reflect.defineMetadata(ORIGIN_KEY, LENSFORGE_COPY, target);
    return target;
  };
}

export function componentInfo(target: Constructor): ComponentInfo | undefined {
  return Reflect.getMetadata(INFO_KEY, target) as ComponentInfo | undefined;
}

/**
 * The lensforge copy (its `component.js` file) whose `@component` decorated `target`, when
 * readable; undefined for classes decorated by a lensforge without the stamp.
 */
export function componentOrigin(target: Constructor): string | undefined {
  return Reflect.getMetadata(ORIGIN_KEY, target) as string | undefined;
}

/** The parsed options type of a component's schema. */
export type OptionsOf<S extends z.ZodType> = z.output<S>;
