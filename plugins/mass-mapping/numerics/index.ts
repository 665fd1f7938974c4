/** Numerics of the mass-mapping plugin: Kaiser-Squires forward model and inversion, shape noise. */
export { kaiserSquiresForward, kaiserSquiresInverse, type ShearField, type KaiserSquiresMaps } from './kaiser-squires.js';
export { shapeNoiseSigma, addShapeNoise, type NormalSource } from './shape-noise.js';
