import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { AdamOptimizer, Rng } from '../../../core/index.js';
import { withTestBackend } from '../../../core/testing/test-backend.js';
import { HingeLoss, WganGpLoss, WganGpOptions } from '../losses/index.js';
import { buildDcganDiscriminator } from '../nets/dcgan-discriminator.js';
import { buildDcganGenerator } from '../nets/dcgan-generator.js';
import { resolveArchitecture } from '../components/dcgan-method.js';
import { DcganOptions } from './dcgan-options.js';
import { dcganStep, type DcganStepLosses } from './dcgan-step.js';
import { TINY_DCGAN } from '../testing/tiny-gan.js';

/** Train a fresh tiny G/D pair (same seeds every call) for `steps` DCGAN steps with the given optimizers. */
function train(makeOpt: () => tf.Optimizer, loss: HingeLoss | WganGpLoss, steps: number): { weights: Float32Array[]; losses: DcganStepLosses[] } {
  const arch = resolveArchitecture(DcganOptions.parse(TINY_DCGAN), [16, 16, 1]);
  const rng = Rng.fromSeed(7);
  const G = buildDcganGenerator(arch.generator, rng.derive('generator'));
  const D = buildDcganDiscriminator(arch.discriminator, rng.derive('discriminator'));
  const [optG, optD] = [makeOpt(), makeOpt()];
  const data = rng.derive('data'), latent = rng.derive('latent');
  const losses: DcganStepLosses[] = [];
  for (let s = 0; s < steps; s++) {
    // a changing rate, as a schedule sets it
    for (const o of [optG, optD]) (o as unknown as { learningRate: number }).learningRate = 2e-3 * (1 - s / steps);
    losses.push(tf.tidy(() => dcganStep({
      G, D, optG, optD, gpRng: rng.derive(`gp:${s}`), batch: 4, dSteps: 2,
      realBatch: () => tf.tensor4d(data.normalArray(4 * 256, 0, 0.5), [4, 16, 16, 1]),
      latents: (k) => tf.tensor2d(latent.normalArray(k * arch.generator.latentDim), [k, arch.generator.latentDim]),
    }, loss)));
  }
  const weights = [...G.model.weights, ...D.weights].map((w) => w.read().dataSync() as Float32Array);
  G.dispose(); D.dispose(); optG.dispose(); optD.dispose();
  return { weights, losses };
}

describe('gan/dcgan step @backend', function () {
  this.timeout(60000);

  for (const loss of [new HingeLoss(), new WganGpLoss(WganGpOptions.parse({}))]) {
    it(`core/adam trains the DCGAN step bit for bit as tfjs's Adam (${loss.constructor.name}, 2 D steps per G step, changing rate)`, async () => {
      await withTestBackend(() => {
        const ours = train(() => new AdamOptimizer(2e-4, 0.5, 0.999), loss, 5);
        const tfjs = train(() => tf.train.adam(2e-4, 0.5, 0.999), loss, 5);
        expect(ours.losses).to.deep.equal(tfjs.losses);
        expect(ours.weights.length).to.equal(tfjs.weights.length);
        ours.weights.forEach((w, i) => expect(Buffer.from(w.buffer).equals(Buffer.from(tfjs.weights[i].buffer)), `weight ${i}`).to.equal(true));
        // and the step does train: the weights moved
        const init = train(() => new AdamOptimizer(0, 0.5, 0.999), loss, 1);
        expect(init.weights.some((w, i) => !Buffer.from(w.buffer).equals(Buffer.from(ours.weights[i].buffer)))).to.equal(true);
      });
    });
  }
});
