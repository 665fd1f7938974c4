/** SimSiam training helpers: one optimisation step, SGD with momentum, cosine schedule. */
export { simsiamStep } from './simsiam-step.js';
export type { SimSiamStepResult } from './simsiam-step.js';
export { createSgd, setLearningRate } from './sgd.js';
export type { SgdOptions } from './sgd.js';
export { cosineLr } from './cosine-lr.js';
