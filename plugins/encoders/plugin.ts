import { definePlugin } from '../../core/index.js';
import { ResNetEncoder } from './components/resnet-encoder.js';
import { SmallCnnEncoder } from './components/small-cnn-encoder.js';

export const encodersPlugin = definePlugin({
  name: 'encoders',
  description: 'ResNet family and a small CNN as registered encoders; UNet as a building block',
  components: [ResNetEncoder, SmallCnnEncoder],
});
