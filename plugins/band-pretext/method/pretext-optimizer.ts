/**
 * The pre-training phase's optimizer and schedule, from `model.method.pretext`: an optimizer
 * component (`optimizer: { use: core/sgd, lr: 1e-4, momentum: 0.9 }`) and a schedule component
 * (`schedule: core/cosine`), or the shorthand of earlier configs (`optimizer: sgd | adam` with
 * `lr`, `momentum`, `weightDecay`; `schedule: cosine | constant`), read exactly as before: the
 * shorthand's weight decay was an L2 penalty wd/2·Σw² on the kernels, whose gradient wd·w is
 * what coupled decay `{ value: wd, mode: coupled, applyTo: kernels }` adds.
 */
import { LensforgeError, type ComponentSpec, type OwnOptimizerSpec } from '../../../core/index.js';
import type { RichnessConfig } from './richness-options.js';

type PretextConfig = RichnessConfig['pretext'];

/** The paper's pre-training optimizer (Liang et al. 2021: SGD, lr 1e-4, momentum 0.9). */
export const DEFAULT_PRETEXT_OPTIMIZER: ComponentSpec = { use: 'core/sgd', lr: 1e-4, momentum: 0.9 };

const SHORTHAND = ['lr', 'momentum', 'weightDecay'] as const;

/** `pretext.optimizer` / `pretext.schedule` as components; `path` is the pretext options' config path (`model.method.pretext`). */
export function pretextOptimizerSpec(p: PretextConfig, path: string): OwnOptimizerSpec {
  const schedule: ComponentSpec = p.schedule === 'cosine' ? { use: 'core/cosine' } : p.schedule === 'constant' ? { use: 'core/constant' } : p.schedule;
  const given = SHORTHAND.filter((k) => p[k] !== undefined);
  const at = { path: `${path}.optimizer`, schedule, schedulePath: `${path}.schedule` };
  if (p.optimizer === undefined && given.length === 0) return { optimizer: DEFAULT_PRETEXT_OPTIMIZER, ...at };
  if (p.optimizer !== undefined && typeof p.optimizer === 'object') {
    if (given.length > 0) {
      const shown = JSON.stringify({ ...p.optimizer, ...Object.fromEntries(given.map((k) => [k, p[k]])) }).replace(/"/g, '');
      throw new LensforgeError(`${path}.${given[0]}: with an optimizer component in ${path}.optimizer, ${given.join(', ')} ${given.length > 1 ? 'belong' : 'belongs'} inside it; ` +
        `expected e.g. optimizer: ${shown}`);
    }
    return { optimizer: p.optimizer, ...at };
  }
  const name = p.optimizer ?? 'sgd';
  // (no decay is the components' default: left out, so the shorthand equals the component form it stands for, cache key included)
  const decay = p.weightDecay ? { weightDecay: { value: p.weightDecay, mode: 'coupled', applyTo: 'kernels' } } : {};
  const optimizer: ComponentSpec = name === 'sgd'
    ? { use: 'core/sgd', lr: p.lr ?? 1e-4, momentum: p.momentum ?? 0.9, ...decay }
    : { use: 'core/adam', lr: p.lr ?? 1e-4, ...decay };
  if (name === 'adam' && p.momentum !== undefined) {
    throw new LensforgeError(`${path}.momentum: Adam has no momentum option (got ${p.momentum}); remove it, or set beta1 in ${path}.optimizer: ${JSON.stringify({ use: 'core/adam', lr: p.lr ?? 1e-4, beta1: p.momentum }).replace(/"/g, '')}`);
  }
  return { optimizer, ...at };
}
