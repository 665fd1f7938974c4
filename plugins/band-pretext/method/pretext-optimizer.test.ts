import { expect } from 'chai';
import { RichnessOptions } from './richness-options.js';
import { DEFAULT_PRETEXT_OPTIMIZER, pretextOptimizerSpec } from './pretext-optimizer.js';

const P = 'model.method.pretext';
const pretext = (o: Record<string, unknown>) => RichnessOptions.parse({ pretext: o }).pretext;

describe('band-pretext/richness pretext optimizer (pretext.optimizer / pretext.schedule)', () => {
  it('defaults to the paper: SGD lr 1e-4, momentum 0.9, constant rate', () => {
    expect(pretextOptimizerSpec(pretext({}), P)).to.deep.equal({
      optimizer: DEFAULT_PRETEXT_OPTIMIZER, path: `${P}.optimizer`, schedule: { use: 'core/constant' }, schedulePath: `${P}.schedule`,
    });
    expect(DEFAULT_PRETEXT_OPTIMIZER).to.deep.equal({ use: 'core/sgd', lr: 1e-4, momentum: 0.9 });
  });

  it('takes optimizer and schedule components as given', () => {
    const s = pretextOptimizerSpec(pretext({ optimizer: { use: 'core/adamw', lr: 0.002, weightDecay: 0.05 }, schedule: { use: 'core/warmup', steps: 5 } }), P);
    expect(s.optimizer).to.deep.equal({ use: 'core/adamw', lr: 0.002, weightDecay: 0.05 });
    expect(s.schedule).to.deep.equal({ use: 'core/warmup', steps: 5 });
    expect(pretextOptimizerSpec(pretext({ optimizer: 'core/rmsprop', schedule: 'core/cosine' }), P).optimizer).to.deep.equal({ use: 'core/rmsprop' });
  });

  it('reads the earlier shorthand as the components it stands for (L2 penalty on kernels = coupled kernel decay)', () => {
    const kernels = (value: number) => ({ value, mode: 'coupled', applyTo: 'kernels' });
    expect(pretextOptimizerSpec(pretext({ optimizer: 'adam', lr: 0.002, schedule: 'cosine' }), P)).to.deep.equal({
      optimizer: { use: 'core/adam', lr: 0.002 }, path: `${P}.optimizer`, schedule: { use: 'core/cosine' }, schedulePath: `${P}.schedule`,
    });
    expect(pretextOptimizerSpec(pretext({ optimizer: 'sgd', lr: 0.01, momentum: 0.5, weightDecay: 1e-3, schedule: 'constant' }), P)).to.deep.include({
      optimizer: { use: 'core/sgd', lr: 0.01, momentum: 0.5, weightDecay: kernels(1e-3) }, schedule: { use: 'core/constant' },
    });
    // lr alone is the shorthand with the default SGD
    expect(pretextOptimizerSpec(pretext({ lr: 0.03 }), P).optimizer).to.deep.equal({ use: 'core/sgd', lr: 0.03, momentum: 0.9 });
    // the shorthand of the quick example is the component form it was rewritten to (so they share the pre-training cache)
    expect(pretextOptimizerSpec(pretext({ optimizer: 'adam', lr: 0.002, schedule: 'cosine' }), P))
      .to.deep.equal(pretextOptimizerSpec(pretext({ optimizer: { use: 'core/adam', lr: 0.002 }, schedule: 'core/cosine' }), P));
  });

  it('refuses shorthand fields beside an optimizer component, showing the new form', () => {
    expect(() => pretextOptimizerSpec(pretext({ optimizer: { use: 'core/sgd', momentum: 0.9 }, lr: 0.01 }), P)).to.throw(
      'model.method.pretext.lr: with an optimizer component in model.method.pretext.optimizer, lr belongs inside it; expected e.g. optimizer: {use:core/sgd,momentum:0.9,lr:0.01}');
  });

  it('refuses momentum with the adam shorthand (it was ignored), naming beta1', () => {
    expect(() => pretextOptimizerSpec(pretext({ optimizer: 'adam', lr: 0.01, momentum: 0.8 }), P)).to.throw(
      'model.method.pretext.momentum: Adam has no momentum option (got 0.8); remove it, or set beta1 in model.method.pretext.optimizer: {use:core/adam,lr:0.01,beta1:0.8}');
  });
});
