/** Encoder building blocks: ResNet family, small CNN, U-Net (pure tfjs-layers, seeded). */
export { buildResNet, RESNET_DEPTHS, RESNET_STEMS } from './resnet.js';
export type { ResNetDepth, ResNetStem, ResNetOptions, EncoderNet } from './resnet.js';
export { buildSmallCnn } from './small-cnn.js';
export type { SmallCnnOptions } from './small-cnn.js';
export { buildUNet } from './unet.js';
export type { UNetOptions, UNetOutputActivation } from './unet.js';
export { convBn, applyActivation } from './conv-bn.js';
export type { ConvBnOptions, Activation } from './conv-bn.js';
export { BN_MOMENTUM, BN_EPSILON, convKernelInit, linearInit } from './init.js';
