import { z } from 'zod';

const EPOCH = 'expected a non-negative integer';

/**
 * `state.json` of a training-loop checkpoint: the epoch just finished (0-based), the phase,
 * the per-epoch records so far, the RNG stream states and the method's extra state.
 */
export const TrainingStateSchema = z.object({
  epoch: z.number({ error: EPOCH }).int({ error: EPOCH }).min(0, { error: EPOCH }),
  phase: z.string({ error: 'expected the phase name (a string)' }),
  history: z.array(z.record(z.string(), z.number().nullable(), { error: 'expected an object of numbers' }), { error: 'expected a list of per-epoch records' }),
  rngs: z.record(z.string(), z.strictObject({
    key: z.number(),
    s: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    spare: z.number().nullable(),
  }), { error: 'expected an object of RNG states' }).optional(),
  extra: z.record(z.string(), z.unknown(), { error: 'expected a JSON object' }).optional(),
  /** States of the phase's stateful parts (data cursors, samplers ...), by name. */
  parts: z.record(z.string(), z.unknown(), { error: 'expected an object of part states' }).optional(),
  /** Early stopping: the best validation so far, validations without improvement, whether it stopped. */
  earlyStopping: z.strictObject({
    metric: z.string(),
    best: z.number().nullable(),
    bestEpoch: z.number().int().min(-1),
    bad: z.number().int().min(0),
    stopped: z.boolean(),
  }).optional(),
});
export type TrainingState = z.output<typeof TrainingStateSchema>;
