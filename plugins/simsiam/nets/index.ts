/** SimSiam heads: projection and prediction MLPs (pure tfjs-layers, seeded). */
export { buildProjector } from './projector.js';
export type { ProjectorOptions } from './projector.js';
export { buildPredictor } from './predictor.js';
export type { PredictorOptions } from './predictor.js';
