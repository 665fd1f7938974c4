/**
 * Public entry of the lensing plugin: its manifest, components, the population (priors, sources,
 * PSFs) and the lenstronomy-exact numerics (profiles, rendering).
 */
export { lensingPlugin } from './plugin.js';
export { StrongLensSimulator, StrongLensOptions, isLensScene } from './components/strong-lens-simulator.js';
export { LensPairAugmenter, LensPairOptions } from './components/lens-pair-augmenter.js';
export { renderCommand, readRenderSpecFile, renderSpecFile } from './components/render-command.js';
export * from './population/index.js';
export * from './profiles/interpolated.js';
export * from './numerics.js';
export * from './profiles/profile-catalog.js';
export * from './profiles/profile-component.js';
export * from './components/builtin-profiles.js';
export * from './profiles/interpolated-kwargs.js';
