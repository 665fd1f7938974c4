/** Numerics of the cosmology plugin: convergence-map simulation (pure functions, float64). */
export { parametricPowerSpectrum, DEFAULT_POWER_SPECTRUM, type PowerSpectrumParams } from './power-spectrum-model.js';
export { gaussianRandomField, type GaussianRandomField, type NormalSource } from './gaussian-random-field.js';
export { lognormalTransform } from './lognormal-transform.js';
export { simulateConvergenceMap, DEFAULT_CONVERGENCE_MAP, type ConvergenceMapParams } from './convergence-map.js';
