import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { withBackend } from '../../../core/index.js';
import { Rng } from '../../../core/index.js';
import { absErrorStats } from '../metrics/abs-error-stats.js';
import { MaeMetric } from '../components/mae-metric.js';
import { SigmaMetric } from '../components/sigma-metric.js';
import { MseStdLoss, mseStdLoss } from '../components/mse-std-loss.js';

// y = [1, 2, 3, 4], ŷ = [1.5, 1, 3, 6]: |e| = [0.5, 1, 0, 2]. By hand: MSE = 5.25/4 = 1.3125,
// MAE = 3.5/4 = 0.875, squared deviations of |e| from 0.875 sum to 2.1875, so
// std(ddof=1) = sqrt(2.1875/3) = 0.8539125638, std(ddof=0) = sqrt(2.1875/4) = 0.7395099729
// (checked with numpy: np.abs(y-p).std(ddof=1)).
const Y = [1, 2, 3, 4], P = [1.5, 1, 3, 6];

describe('band-pretext loss (Eq. 1) and metrics', () => {
  it('MAE and Sigma match hand-computed values', () => {
    const s1 = absErrorStats(Y, P);
    expect(s1.mae).to.be.closeTo(0.875, 1e-12);
    expect(s1.sigma).to.be.closeTo(0.8539125638299665, 1e-12);
    expect(absErrorStats(Y, P, 0).sigma).to.be.closeTo(0.739509972887452, 1e-12);
    expect(absErrorStats([2], [5]).sigma).to.equal(0);
  });

  it('registered metrics report mae_<name> and sigma_<name>', async () => {
    const ctx = { predictions: { yTrue: Float32Array.from(Y), yPred: Float32Array.from(P), name: 'lambda' }, rng: Rng.fromSeed(1) };
    expect((await new MaeMetric({}).evaluate(ctx)).mae_lambda).to.be.closeTo(0.875, 1e-6);
    expect((await new SigmaMetric({ ddof: 1 }).evaluate(ctx)).sigma_lambda).to.be.closeTo(0.8539126, 1e-6);
    expect((await new SigmaMetric({ ddof: 0 }).evaluate(ctx)).sigma_lambda).to.be.closeTo(0.7395100, 1e-6);
    await new MaeMetric({}).evaluate({ rng: Rng.fromSeed(1) }).then(() => expect.fail('should throw'), (e: Error) =>
      expect(e.message).to.contain('band-pretext/mae: predictions: expected regression predictions'));
  });

  it('MSE + alpha std(|Y - Ŷ|) matches the hand value and has finite gradients', async () => {
    await withBackend('cpu', () => {
      const y = tf.tensor2d(Y, [4, 1]), p = tf.tensor2d(P, [4, 1]);
      expect(mseStdLoss(y, p, 0.5).dataSync()[0]).to.be.closeTo(1.3125 + 0.5 * 0.8539125638, 1e-5);
      expect(mseStdLoss(y, p, 2, 0).dataSync()[0]).to.be.closeTo(1.3125 + 2 * 0.7395099729, 1e-5);
      expect(new MseStdLoss({ alpha: 0, ddof: 1 }).compute(y, p).dataSync()[0]).to.be.closeTo(1.3125, 1e-6);
      // d loss / d ŷ_i for alpha = 0 is 2 e_i / n = [0.25, -0.5, 0, 1]
      const g = tf.grad((q: tf.Tensor) => mseStdLoss(y, q, 0))(p).dataSync();
      expect(Array.from(g).map((v) => +v.toFixed(6))).to.deep.equal([0.25, -0.5, 0, 1]);
      // equal absolute errors: std = 0, gradient stays finite
      const g2 = tf.grad((q: tf.Tensor) => mseStdLoss(y, q, 1))(tf.add(y, 1)).dataSync();
      expect(Array.from(g2).every(Number.isFinite)).to.equal(true);
      expect(() => mseStdLoss(y, tf.zeros([3]))).to.throw('band-pretext/mse-std: yPred: expected 4 values (as yTrue), got 3');
      tf.dispose([y, p]);
    });
  });
});
