/** Public entry of the encoders plugin: its manifest and building blocks other plugins reuse. */
export { encodersPlugin } from './plugin.js';
export { ResNetEncoder, ResNetEncoderOptions } from './resnet-encoder.js';
export { SmallCnnEncoder, SmallCnnEncoderOptions } from './small-cnn-encoder.js';
export * from './nets/index.js';
