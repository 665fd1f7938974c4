/** SimSiam losses: negative cosine with stop-gradient, its symmetric form, collapse monitor. */
export { stopGradient } from './stop-gradient.js';
export { negativeCosine, symmetricNegCosine, l2Normalize } from './negative-cosine.js';
export { collapseStd } from './collapse-std.js';
