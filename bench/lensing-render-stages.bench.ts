/**
 * Per-stage timing of one LenSiam render (the scene of `lensing-render.bench.ts`): nanoseconds per
 * output pixel spent in each step of `Renderer.render`, measured by running each step alone on
 * many pre-drawn scenes (fresh parameters per image, as in the throughput bench):
 *
 * - `scene`: drawing the parameters and building the profile objects (EPL series coefficients);
 * - `deflection`: ray shooting (EPL incl. its per-lens tables, shear folded in);
 * - `source`, `lensLight`: the Sersic evaluations (incl. their lazily built lookups);
 * - `downsample`: sub-pixel mean times deltaPix^2; `psf`: the Gaussian convolution;
 * - `noise`: background + Poisson noise; `normalize`: max and scale;
 * - `render`: the whole `Renderer.render` (noise and normalisation included), for comparison.
 *
 * Each stage is timed for the TypeScript kernels (`-js`) and the WebAssembly ones (`-wasm`).
 *
 * Run: `node dist/bench/lensing-render-stages.bench.js [supersampling ...]` (default 1 3); prints
 * JSON. One thread; process CPU time, which still moves somewhat with the machine's load.
 */
import { pathToFileURL } from 'node:url';
import { Rng } from '../core/tensor/rng.js';
import { benchScene, DELTA_PIX, FWHM, NUM_PIX } from './render-bench-scene.js';
import { RenderWasm } from '../plugins/lensing/imaging/wasm-kernel.js';
import { KN, WN } from '../plugins/lensing/imaging/ziggurat-normal.js';
import {
  addNoiseInPlace, downsampleMean, EplProfile, Renderer, SersicProfile, ShearProfile, ZigguratNormal, type Scene,
} from '../plugins/lensing/numerics.js';

const SCENES = 200;


/**
 * Median over `reps` repetitions of the mean process CPU time (user + system, less sensitive to
 * other processes than wall time) per call of `one(i)`, i over `count` items [ns].
 */
function timeEach(count: number, reps: number, one: (i: number) => void): number {
  const per: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < count; i++) one(i);
    const c = process.cpuUsage(t0);
    const dt = ((c.user + c.system) * 1000) / count;
    if (r > 0) per.push(dt); // the first repetition warms up
  }
  per.sort((a, b) => a - b);
  return per[per.length >> 1];
}

/** ns per output pixel of each stage at supersampling `ss`, TypeScript kernels. */
export function stageTimes(ss: number, reps = 5): Record<string, number> {
  const rng = Rng.fromSeed(7);
  const scenesFor = (): Scene[] => Array.from({ length: SCENES }, () => benchScene(rng));
  const renderer = new Renderer({ numPix: NUM_PIX, deltaPix: DELTA_PIX, supersampling: ss, psf: { type: 'GAUSSIAN', fwhm: FWHM, truncation: 5 }, kernel: 'js' });
  const nSub = renderer.x.length, n2 = NUM_PIX * NUM_PIX;
  const bx = new Float64Array(nSub), by = new Float64Array(nSub), sb = new Float64Array(nSub), img = new Float64Array(n2);
  const out = new Float32Array(n2);
  const noise = { background_rms: 0.05, exposure_time: 1000 };
  const noiseRng = Rng.fromSeed(3);
  const normal = new ZigguratNormal(noiseRng);
  const perPix = (ns: number): number => Math.round((ns / n2) * 100) / 100;
  const res: Record<string, number> = {};
  const sceneRng = Rng.fromSeed(11);
  res.scene = perPix(timeEach(SCENES, reps, () => { benchScene(sceneRng); }));
  // each kernel stage gets fresh scenes per repetition so per-lens tables are rebuilt as in a real render
  let scenes = scenesFor();
  res.deflection = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    const s = scenes[i];
    bx.fill(0); by.fill(0);
    for (const p of s.lens) p.addDeflections(renderer.x, renderer.y, bx, by, nSub);
  }));
  res.source = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    sb.fill(0);
    for (const p of scenes[i].source) p.addSurfaceBrightness(bx, by, sb, nSub);
  }));
  res.lensLight = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    for (const p of scenes[i].lensLight) p.addSurfaceBrightness(renderer.x, renderer.y, sb, nSub);
  }));
  res.downsample = perPix(timeEach(SCENES, reps, () => downsampleMean(sb, NUM_PIX, ss, img, DELTA_PIX * DELTA_PIX)));
  const psf = renderer.psf!;
  const conv = new Float64Array(n2);
  res.psf = perPix(timeEach(SCENES, reps, () => { psf.convolve(img, NUM_PIX, NUM_PIX, conv); }));
  const noisy = new Float64Array(n2);
  res.noise = perPix(timeEach(SCENES, reps, () => { noisy.set(conv); normal.reseed(noiseRng); addNoiseInPlace(noisy, noise, normal); }));
  res.normalize = perPix(timeEach(SCENES, reps, () => {
    let max = -Infinity;
    for (let i = 0; i < n2; i++) if (noisy[i] > max) max = noisy[i];
    const inv = 1 / max;
    for (let i = 0; i < n2; i++) out[i] = noisy[i] * inv;
  }));
  res.sumOfStages = Math.round(Object.values(res).reduce((a, b) => a + b, 0) * 100) / 100;
  res.render = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    renderer.render(scenes[i], { noise, rng: noiseRng, normalize: true, out });
  }));
  res.renderWithScene = perPix(timeEach(SCENES, reps, () => {
    renderer.render(benchScene(sceneRng), { noise, rng: noiseRng, normalize: true, out });
  }));
  return res;
}

/** The same stages with the WebAssembly kernels (`RenderWasm`), and `render` with kernel 'wasm'. */
export function wasmStageTimes(ss: number, reps = 5): Record<string, number> {
  const rng = Rng.fromSeed(7);
  const scenesFor = (): Scene[] => Array.from({ length: SCENES }, () => benchScene(rng));
  const renderer = new Renderer({ numPix: NUM_PIX, deltaPix: DELTA_PIX, supersampling: ss, psf: { type: 'GAUSSIAN', fwhm: FWHM, truncation: 5 }, kernel: 'wasm' });
  const n2 = NUM_PIX * NUM_PIX;
  const w = RenderWasm.create(renderer.x.length, NUM_PIX)!;
  w.x.set(renderer.x); w.y.set(renderer.y);
  w.zigguratTables(KN, WN);
  const prm = new Float64Array(10);
  const noiseRng = Rng.fromSeed(3);
  const normal = new ZigguratNormal(noiseRng);
  const perPix = (ns: number): number => Math.round((ns / n2) * 100) / 100;
  const res: Record<string, number> = {};
  let scenes = scenesFor();
  res.deflection = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    const s = scenes[i];
    w.bx.fill(0); w.by.fill(0);
    w.powerLaw((s.lens[0] as EplProfile).geometry);
    const sh = (s.lens[1] as ShearProfile).params;
    w.finishBeta(sh.gamma1, sh.gamma2, sh.gamma1 * sh.ra_0 + sh.gamma2 * sh.dec_0, sh.gamma2 * sh.ra_0 - sh.gamma1 * sh.dec_0);
  }));
  res.source = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    w.sb.fill(0);
    (scenes[i].source[0] as SersicProfile).kernelParameters(prm);
    w.sersic(w.bx, w.by, prm);
  }));
  res.lensLight = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    (scenes[i].lensLight[0] as SersicProfile).kernelParameters(prm);
    w.sersic(w.x, w.y, prm);
  }));
  res.downsample = perPix(timeEach(SCENES, reps, () => w.downsample(NUM_PIX, ss, DELTA_PIX * DELTA_PIX)));
  const weights = (renderer.psf as { weights: Float64Array }).weights;
  const img0 = Float64Array.from(w.img);
  res.psf = perPix(timeEach(SCENES, reps, () => { w.img.set(img0); w.convolveSeparable(weights, NUM_PIX); }));
  const conv = Float64Array.from(w.img);
  res.noise = perPix(timeEach(SCENES, reps, () => {
    w.img.set(conv); normal.reseed(noiseRng);
    normal.fillBulk(w.deviates, n2, w.zigState, (from) => w.zigguratDraw(from, n2));
    w.applyNoise(0.05 * 0.05, 1 / 1000);
  }));
  res.normalize = perPix(timeEach(SCENES, reps, () => { w.finishImage(true); }));
  res.sumOfStages = Math.round(Object.values(res).reduce((a, b) => a + b, 0) * 100) / 100;
  const noise = { background_rms: 0.05, exposure_time: 1000 };
  const out = new Float32Array(n2);
  res.render = perPix(timeEach(SCENES, reps, (i) => {
    if (i === 0) scenes = scenesFor();
    renderer.render(scenes[i], { noise, rng: noiseRng, normalize: true, out });
  }));
  const sceneRng = Rng.fromSeed(11);
  res.renderWithScene = perPix(timeEach(SCENES, reps, () => {
    renderer.render(benchScene(sceneRng), { noise, rng: noiseRng, normalize: true, out });
  }));
  return res;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const factors = process.argv.slice(2).map(Number);
  const result: Record<string, Record<string, number>> = {};
  for (const ss of factors.length ? factors : [1, 3]) {
    result[`ss${ss}-js`] = stageTimes(ss);
    result[`ss${ss}-wasm`] = wasmStageTimes(ss);
  }
  console.log(JSON.stringify({ unit: 'ns of process CPU time per output pixel (110 x 110)', ...result }, null, 2));
}
