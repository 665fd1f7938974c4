import { z } from '../../../core/index.js';

/** DCGAN's optimizer when the config names none (Radford et al. 2015; CosmoGAN): Adam, lr 2e-4, β1 0.5, β2 0.999, no weight decay. */
export const DCGAN_ADAM = { use: 'core/adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } as const;

/**
 * `model.method.adam` (`{ lrG, lrD, beta1, beta2 }`) was the optimizer block of `gan/dcgan`
 * before optimizers were components. It is refused with the `train.optimizers` replacement
 * written out from the values given, so the run trains exactly as before once it is pasted in.
 */
export function adamReplacement(v: unknown): string {
  const o = (v && typeof v === 'object' && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
  const num = (k: string, d: number): number => (typeof o[k] === 'number' ? (o[k] as number) : d);
  const net = (lr: number): string => `{ use: core/adam, lr: ${lr}, beta1: ${num('beta1', DCGAN_ADAM.beta1)}, beta2: ${num('beta2', DCGAN_ADAM.beta2)} }`;
  return `train: { optimizers: { generator: ${net(num('lrG', DCGAN_ADAM.lr))}, discriminator: ${net(num('lrD', DCGAN_ADAM.lr))} } }`;
}

export const RemovedAdamOption = z.unknown().superRefine((v, ctx) => {
  ctx.addIssue({
    code: 'custom',
    message: 'removed: the generator and discriminator optimizers are now train.optimizers.generator / .discriminator ' +
      `(any optimizer component; default Adam lr 2e-4, beta1 0.5, beta2 0.999); write instead ${adamReplacement(v)}`,
  });
}).optional().describe('removed: use train.optimizers.generator / .discriminator');
