import { definePlugin } from '../../core/index.js';
import { KnnR2Metric, LinearProbeMetric, R2Metric, UmapMetric } from './components/embedding-metrics.js';
import { BlurAugmenter, DefaultAugmenter, FlipAugmenter, JitterAugmenter, RandomResizedCropAugmenter, Rot90Augmenter } from './components/image-augmenters.js';
import { NegCosineLoss } from './components/neg-cosine-loss.js';
import { SimSiamMethod } from './components/simsiam-method.js';

export const simsiamPlugin = definePlugin({
  name: 'simsiam',
  description: 'SimSiam method, negative-cosine loss, default image augmentations, embedding metrics',
  components: [
    SimSiamMethod, NegCosineLoss,
    DefaultAugmenter, RandomResizedCropAugmenter, FlipAugmenter, JitterAugmenter, BlurAugmenter, Rot90Augmenter,
    KnnR2Metric, LinearProbeMetric, UmapMetric, R2Metric,
  ],
});
