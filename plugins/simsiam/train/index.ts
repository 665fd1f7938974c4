/** SimSiam training helpers: one optimisation step (the optimizer and schedule are core's: `core/sgd`, `core/cosine`). */
export { simsiamStep } from './simsiam-step.js';
export type { SimSiamStepResult } from './simsiam-step.js';
export { meanPredictionR2 } from './mean-floor.js';
