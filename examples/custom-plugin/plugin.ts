import { definePlugin } from 'lensforge';
import { BlobSimulator } from './components/blob-simulator.js';
import { FlipAugmenter } from './components/flip-augmenter.js';
import { LinearDecaySchedule } from './components/linear-decay-schedule.js';
import { MseLoss } from './components/mse-loss.js';
import { MseMetric } from './components/mse-metric.js';
import { RegressMethod } from './components/regress-method.js';
import { TinyCnnEncoder } from './components/tiny-cnn-encoder.js';

/** The tutorial plugin: list every component in the manifest; nothing registers on import. */
export default definePlugin({
  name: 'example',
  version: '0.1.0',
  description: 'tutorial plugin: Gaussian blobs, a flip augmenter, a tiny CNN, MSE loss and metric, a regression method, a linear-decay learning-rate schedule',
  components: [BlobSimulator, FlipAugmenter, TinyCnnEncoder, MseLoss, MseMetric, RegressMethod, LinearDecaySchedule],
});
