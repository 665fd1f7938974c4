/** The GAN training method and its helpers. */
export { DcganMethod, DcganOptions, resolveArchitecture } from '../components/dcgan-method.js';
export { buildPixelTransform, PixelTransformSchema, type PixelTransform, type PixelTransformOptions } from './pixel-transform.js';
export { lossVariance, median } from './stability.js';
export { dcganStep, type DcganStepParts, type DcganStepLosses } from './dcgan-step.js';
