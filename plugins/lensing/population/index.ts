/**
 * The LenSiam lens population (Chang et al. 2023, section 2): configurable priors, procedural
 * and user-supplied source galaxies, PSF choices, and `LensPopulation`, which draws and renders
 * lens systems.
 */
export * from './population-options.js';
export * from './lens-prior.js';
export * from './light-flux.js';
export * from './procedural-galaxy.js';
export * from './array-file.js';
export * from './source-bank.js';
export * from './psf-bank.js';
export * from './nuisance.js';
export * from './lens-population.js';
