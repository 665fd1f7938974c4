import type * as tf from '@tensorflow/tfjs';
import { pearson, writeLinePlot, type MethodContext, type RunMetrics, type RunTimings } from '../../../core/index.js';
import { chooseKsSmoothing, kaiserSquiresEstimate } from '../baseline/kaiser-squires-baseline.js';
import { kappaModePower, wienerFilterEstimate } from '../baseline/wiener-filter.js';
import type { ShearForwardModel } from '../components/shear-forward-model.js';
import { rmse } from '../metrics/map-metrics.js';
import { MASS_MAP_RESULTS_KEY, type MassMapResults } from '../metrics/mass-map-results.js';
import { writePosteriorPanel } from '../report/posterior-panel.js';
import type { ConditionSpec } from './condition.js';
import { heldOutMaps, type HeldOutMaps, type SamplerShape } from './held-out-maps.js';
import { drawPosteriorSamples, posteriorMoments } from './posterior.js';
import type { RcganOptionsT } from './rcgan-options.js';

/** What the final evaluation of `mass-mapping/rcgan` works on. */
export interface RcganEvaluationInput {
  G: tf.LayersModel;
  forward: ShearForwardModel;
  spec: ConditionSpec;
  /** The validation maps (they choose the KS smoothing when `ksSmoothing` is 'auto'). */
  val: HeldOutMaps;
  shape: SamplerShape;
  /** s: the generator works in κ/s. */
  scale: number;
}

/**
 * The final evaluation of `mass-mapping/rcgan` on `testSize` test maps with fixed noise:
 * N = posteriorSamples samples per map → posterior mean and std; the smoothed Kaiser-Squires
 * E mode (σ = ksSmoothing, 'auto': the RMSE-optimal σ on the validation maps) and, for unmasked
 * fields, the Wiener filter with the mean mode power of `wienerMaps` training maps as prior. The
 * configured metrics (through `ctx.training.evaluate`) receive EvalContext.extra.massMapping =
 * { n, truth, estimates: { gan: { maps, std }, ks: { maps }, wf?: { maps } } }. Adds
 * ksSmoothing and the sweep over N (rmse_gan_n{N}, pearson_gan_n{N}: the mean of the first N
 * samples, also recorded as phase `posterior-sweep`); the timing secondsPerSample. Writes
 * plots/posterior-sweep.png and plots/posterior-panel.png.
 */
export async function evaluateRcgan(ctx: MethodContext, o: RcganOptionsT, e: RcganEvaluationInput): Promise<{ metrics: RunMetrics; timings: RunTimings }> {
  const { n } = e.shape;
  const ksSigma = o.ksSmoothing === 'auto' ? chooseKsSmoothing(e.val.truth, e.val.shear, n).sigma : o.ksSmoothing;
  const test = heldOutMaps(ctx.data, e.forward, e.spec, 'test', o.testSize, ctx.rng, () => e.scale);
  const N = Math.max(o.posteriorSamples, ...o.sweep);
  const { samples, seconds } = drawPosteriorSamples(e.G, test.conds, n, e.shape.C, e.shape.zc, N, e.scale, ctx.rng.derive('posterior-latent'), e.shape.sampleBatch);
  const timings: RunTimings = { secondsPerSample: seconds / (test.truth.length * N) };
  const moments = samples.map((s) => posteriorMoments(s, o.posteriorSamples));
  const ks = test.shear.map((g) => kaiserSquiresEstimate(g, n, ksSigma));
  const results: MassMapResults = {
    n, truth: test.truth,
    estimates: { gan: { maps: moments.map((m) => m.mean), std: moments.map((m) => m.std) }, ks: { maps: ks } },
  };
  const nWf = Math.min(o.wienerMaps, ctx.train.trainSize, ctx.data.size);   // training maps only
  if (nWf > 0 && e.forward.mask(n) === undefined) {
    const power = kappaModePower(Array.from({ length: nWf }, (_, i) => ctx.data.sample(i, 'train').image), n);
    results.estimates.wf = { maps: test.shear.map((g) => wienerFilterEstimate(g, n, power, e.forward.sigma)) };
  }
  const out: RunMetrics = { ksSmoothing: ksSigma };
  Object.assign(out, await ctx.training.evaluate({ extra: { [MASS_MAP_RESULTS_KEY]: results }, plotDir: ctx.runDir.plotsDir, tag: ctx.tag }));
  await posteriorSweep(ctx, o, test, samples, results, ksSigma, out);
  const rows = Math.min(o.panelMaps, test.truth.length);
  if (rows > 0) {
    writePosteriorPanel(ctx.runDir.plot('posterior-panel.png'), Array.from({ length: rows }, (_, i) => ({
      truth: test.truth[i], ks: ks[i], mean: moments[i].mean, std: moments[i].std,
    })), n);
  }
  return { metrics: out, timings };
}

/** "Changing N": RMSE and Pearson r of the posterior mean of the first k samples, against KS (and WF). */
async function posteriorSweep(ctx: MethodContext, o: RcganOptionsT, test: HeldOutMaps, samples: Float32Array[][],
  results: MassMapResults, ksSigma: number, out: RunMetrics): Promise<void> {
  const sweep = [...new Set(o.sweep)].sort((a, b) => a - b);
  const score = (maps: Float32Array[]) => ({
    rmse: mean(test.truth.map((t, i) => rmse(t, maps[i]))), r: mean(test.truth.map((t, i) => pearson(t, maps[i]).r)),
  });
  const ks = score(results.estimates.ks.maps);
  const wf = results.estimates.wf ? score(results.estimates.wf.maps) : undefined;
  const rm: number[] = [], pr: number[] = [];
  for (const k of sweep) {
    const g = score(samples.map((s) => posteriorMoments(s, k).mean));
    rm.push(g.rmse); pr.push(g.r);
    out[`rmse_gan_n${k}`] = g.rmse;
    out[`pearson_gan_n${k}`] = g.r;
    ctx.runDir.record({ phase: 'posterior-sweep', samples: k, rmse_gan: g.rmse, pearson_gan: g.r, rmse_ks: ks.rmse, pearson_ks: ks.r,
      ...(wf ? { rmse_wf: wf.rmse, pearson_wf: wf.r } : {}) });
  }
  if (sweep.length < 2) return;
  const flat = (v: number) => sweep.map(() => v);
  await writeLinePlot(ctx.runDir.plot('posterior-sweep.png'), [
    { name: 'GAN posterior mean: Pearson', x: sweep, y: pr },
    { name: `smoothed KS (σ=${ksSigma}px): Pearson`, x: sweep, y: flat(ks.r) },
    { name: 'GAN posterior mean: RMSE x 10', x: sweep, y: rm.map((v) => 10 * v) },
    { name: 'smoothed KS: RMSE x 10', x: sweep, y: flat(10 * ks.rmse) },
    ...(wf ? [
      { name: 'Wiener filter: Pearson', x: sweep, y: flat(wf.r) },
      { name: 'Wiener filter: RMSE x 10', x: sweep, y: flat(10 * wf.rmse) },
    ] : []),
  ], { title: `${ctx.tag}: posterior mean vs number of samples N`, xLabel: 'N (posterior samples)', yLabel: 'Pearson r / 10·RMSE' });
}

function mean(xs: number[]): number { return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length); }
