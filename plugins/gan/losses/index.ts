/** GAN losses: pure functions, registered components, the gradient-penalty hook. */
export * from './gan-loss-functions.js';
export { gradientPenalty, registerComparisonGradients, type CriticFn, type GradientPenaltyOptions } from './gradient-penalty.js';
export { hasGradientPenalty, generatorUsesReal, type PenalizedGanLoss } from './gan-loss-types.js';
export { NonSaturatingLoss, HingeLoss, RelativisticLoss, RelativisticAverageLoss, WganGpLoss, WganGpOptions } from '../components/gan-losses.js';
export { criticStep, type CriticStepResult } from './critic-step.js';
