/** Public entry of the encoders plugin: its manifest and building blocks other plugins reuse. */
export { encodersPlugin } from './plugin.js';
export { ResNetEncoder, ResNetEncoderOptions } from './components/resnet-encoder.js';
export { SmallCnnEncoder, SmallCnnEncoderOptions } from './components/small-cnn-encoder.js';
export * from './nets/index.js';
