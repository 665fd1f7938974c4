/**
 * Public API of the lensing numerics engine (pure functions and classes, no registry code):
 * mass profiles (EPL, SIE, SIS, SHEAR), light profiles (SERSIC, SERSIC_ELLIPSE, CORE_SERSIC),
 * their parameter schemas (zod) and validation, and image formation (grid, supersampling, PSF, noise,
 * `Renderer`, `renderSystem`), all in lenstronomy 1.14.2 conventions.
 */
export * from './profiles/ellipticity.js';
export * from './profiles/describe-value.js';
export * from './profiles/profile-params.js';
export * from './profiles/spec-validation-error.js';
export * from './profiles/fast-math.js';
export * from './profiles/gamma-function.js';
export * from './profiles/mass-profile.js';
export * from './profiles/epl.js';
export * from './profiles/sie.js';
export * from './profiles/sis.js';
export * from './profiles/shear.js';
export * from './profiles/mass-model.js';
export * from './profiles/light-profile.js';
export * from './profiles/radial-lookup.js';
export * from './profiles/sersic.js';
export * from './profiles/core-sersic.js';
export * from './profiles/light-model.js';
export * from './imaging/pixel-grid.js';
export * from './imaging/gaussian-psf.js';
export * from './imaging/pixel-psf.js';
export * from './imaging/ziggurat-normal.js';
export * from './imaging/noise.js';
export * from './imaging/render-spec.js';
export * from './imaging/renderer.js';
export * from './imaging/render-system.js';
