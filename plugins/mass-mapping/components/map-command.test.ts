import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRegistry, gaussianSmooth, loadExperiment, MemoryLogger, pearson, readFitsImageHdus, Rng, runExperiment, SilentProgress, tanGrid, validateExperiment, worldToPixel,
} from '../../../core/index.js';
import { testBackendRequest, withTestBackend } from '../../../core/testing/test-backend.js';
import { blobKappa, syntheticShearCatalog, writeShearCatalogCsv, writeShearCatalogFits } from '../catalog/synthetic-catalog.js';

const BIN = 'dist/core/cli/bin.js';
const tmp = () => mkdtempSync(join(tmpdir(), 'lf-map-'));
function cli(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LENSFORGE_BACKEND: process.env.LENSFORGE_BACKEND ?? 'wasm' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
function transpose(m: ArrayLike<number>, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = m[i * n + j];
  return t;
}

/** 32x32 grid of 1' pixels about (30, -20); asymmetric halos so that a transpose or mirror does not match. */
const N = 32, PIX = 1, CENTER = { ra: 30, dec: -20 };
const HALOS = [{ x: 6, y: 9, amplitude: 0.25, sigma: 2.5 }, { x: 22, y: 5, amplitude: 0.15, sigma: 2 }, { x: 25, y: 24, amplitude: 0.2, sigma: 3 }, { x: 10, y: 25, amplitude: -0.08, sigma: 2.5 }];

describe('lensforge map (end to end through the CLI)', function () {
  this.timeout(240000);
  let dir: string, truth: Float64Array;

  before(() => {
    dir = tmp();
    truth = blobKappa(N, HALOS);
    const { catalog } = syntheticShearCatalog({ kappa: truth, n: N, pixelArcmin: PIX, center: CENTER, density: 30, sigmaE: 0.26, rng: Rng.fromSeed(7) });
    writeShearCatalogCsv(join(dir, 'cat.csv'), catalog);
    writeShearCatalogFits(join(dir, 'cat.fits'), catalog, { ra: 'RA', dec: 'DEC', e1: 'G1', e2: 'G2', weight: 'W' });
  });

  const grid = ['--size', String(N), '--pixel-scale', String(PIX), '--center', `${CENTER.ra},${CENTER.dec}`];
  const corr = (a: ArrayLike<number>, b: ArrayLike<number>) => pearson(Float64Array.from(a), Float64Array.from(b)).r;

  it('ks recovers the κ of a synthetic catalogue (CSV); a sign-flipped e2 or a transposed map scores much lower', () => {
    const out = join(dir, 'ks.fits');
    const r = cli('map', join(dir, 'cat.csv'), '--out', out, '--estimator', 'ks', '--smooth', '1.5', ...grid);
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.match(/shape noise σ_e = 0\.26\d* per component \(measured from the catalogue e1\/e2 scatter\)/);
    expect(r.out).to.contain('0 of 1024 pixels empty');
    const h = readFitsImageHdus(out);
    expect(h.map((x) => x.name)).to.deep.equal(['KAPPA', 'MASK', 'NGAL', 'NOISE']);
    expect(h[0].shape).to.deep.equal([N, N]);
    for (const x of h) expect([x.header.get('CTYPE1'), x.header.get('CTYPE2'), x.header.get('CRVAL1'), x.header.get('CRVAL2')]).to.deep.equal(['RA---TAN', 'DEC--TAN', 30, -20]);
    const smooth = gaussianSmooth(truth, N, N, 1.5, { mode: 'wrap' });
    const rKs = corr(h[0].data, smooth);
    const rT = corr(transpose(h[0].data, N), smooth);
    const flipped = join(dir, 'ks-flip.fits');
    expect(cli('map', join(dir, 'cat.csv'), '--out', flipped, '--estimator', 'ks', '--smooth', '1.5', '--flip-e2', ...grid).status).to.equal(0);
    const rFlip = corr(readFitsImageHdus(flipped)[0].data, smooth);
    console.log(`      Pearson(ks, smoothed truth) = ${rKs.toFixed(3)}; transposed ${rT.toFixed(3)}; e2 sign-flipped ${rFlip.toFixed(3)}`);
    expect(rKs, "measured 0.978").to.be.greaterThan(0.93);
    expect(rT).to.be.lessThan(rKs - 0.3);
    expect(rFlip).to.be.lessThan(rKs - 0.3);
    expect(existsSync(join(dir, 'ks.png'))).to.equal(true);
    expect(readFileSync(join(dir, 'ks.png')).subarray(1, 4).toString()).to.equal('PNG');
    const ngal = h[2].data.reduce((a, v) => a + v, 0);
    expect(ngal).to.equal(30 * N * N);
  });

  it('wf recovers κ from the same catalogue as a FITS table with renamed columns (data-driven prior)', () => {
    const out = join(dir, 'wf.fits');
    const r = cli('map', join(dir, 'cat.fits'), '--columns', 'ra=RA,dec=DEC,e1=G1,e2=G2,weight=W', '--out', out, '--estimator', 'wf', ...grid);
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.contain('Wiener filter, prior S(k) = data-driven');
    const k = readFitsImageHdus(out)[0].data;
    const smooth = gaussianSmooth(truth, N, N, 1.5, { mode: 'wrap' });
    const rWf = corr(k, smooth), rT = corr(transpose(k, N), smooth);
    console.log(`      Pearson(wf, smoothed truth) = ${rWf.toFixed(3)}; transposed ${rT.toFixed(3)}`);
    expect(rWf, "measured 0.965").to.be.greaterThan(0.92);
    expect(rT).to.be.lessThan(rWf - 0.3);
  });

  it('empty pixels (a hole in the catalogue) are masked: counted in the log, MASK = 0, NGAL = 0, NOISE = Inf, zero shear into the estimator', () => {
    const { catalog } = syntheticShearCatalog({ kappa: truth, n: N, pixelArcmin: PIX, center: CENTER, density: 30, sigmaE: 0.26, rng: Rng.fromSeed(8) });
    const w = tanGrid(CENTER.ra, CENTER.dec, N, PIX);
    const keep = Array.from({ length: catalog.count }, (_, g) => g).filter((g) => {
      const p = worldToPixel(w, catalog.ra[g], catalog.dec[g])!;
      return !(Math.round(p.x) < 4 && Math.round(p.y) < 4);       // a 4x4 hole at the lowest Dec, highest RA corner
    });
    const sub = (a: Float64Array) => Float64Array.from(keep, (g) => a[g]);
    const holed = join(dir, 'holed.csv');
    writeShearCatalogCsv(holed, { ...catalog, count: keep.length, ra: sub(catalog.ra), dec: sub(catalog.dec), e1: sub(catalog.e1), e2: sub(catalog.e2), weight: sub(catalog.weight) });
    const out = join(dir, 'holed.fits');
    const r = cli('map', holed, '--out', out, '--no-png', ...grid);
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.contain('16 of 1024 pixels empty (masked: zero shear, infinite noise)');
    expect(existsSync(join(dir, 'holed.png'))).to.equal(false);
    const [k, mask, ngal, noise] = readFitsImageHdus(out);
    expect(k.header.get('NMASKED')).to.equal(16);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      const o = i * N + j, hole = i < 4 && j < 4;
      expect([mask.data[o], ngal.data[o] === 0, noise.data[o] === Infinity], `pixel (${i}, ${j})`).to.deep.equal([hole ? 0 : 1, hole, hole]);
    }
    expect(k.data.every(Number.isFinite)).to.equal(true);
  });

  it('errors: missing column, empty catalogue, catalogue outside the grid, gan without RUN_DIR, RUN_DIR of another method', async () => {
    const miss = cli('map', join(dir, 'cat.fits'), '--out', join(dir, 'x.fits'), ...grid);
    expect(miss.status).to.equal(1);
    expect(miss.out).to.contain(`column "ra" (field ra) is missing; its columns: RA, DEC, G1, G2, W; map fields to columns with --columns ra=NAME`);
    const empty = join(dir, 'empty.csv');
    writeShearCatalogCsv(empty, { file: empty, count: 0, columns: { ra: 'ra', dec: 'dec', e1: 'e1', e2: 'e2' }, ra: new Float64Array(), dec: new Float64Array(), e1: new Float64Array(), e2: new Float64Array(), weight: new Float64Array() });
    expect(cli('map', empty, '--out', join(dir, 'x.fits'), ...grid).out).to.contain(`catalogue ${empty}: no galaxies (the table has a header but no rows)`);
    const far = cli('map', join(dir, 'cat.csv'), '--out', join(dir, 'x.fits'), '--size', '32', '--pixel-scale', '1', '--center', '200,40');
    expect(far.out).to.contain('none of its 30720 galaxies falls on the 32x32 grid of 1\' pixels centred on RA 200.00000, Dec 40.00000 (all 1024 pixels would be masked)');
    expect(cli('map', join(dir, 'cat.csv'), '--out', join(dir, 'x.fits'), '--estimator', 'gan', ...grid).out).to.contain('--estimator gan: needs RUN_DIR, a trained mass-mapping/rcgan run');
    expect(cli('map', join(dir, 'cat.csv'), '--out', join(dir, 'x.fits')).out).to.contain('--size and --pixel-scale: required without RUN_DIR');
    const reg = await createRegistry();
    const other = join(dir, 'regress-run');
    const loaded = await loadExperiment('examples/custom-plugin/experiment.yaml', reg, ['train.epochs=1', 'data.count=32', 'train.trainSize=32', 'model.method.testSize=8']);
    await runExperiment(loaded, { registry: reg, out: other, logger: new MemoryLogger(), progress: new SilentProgress() });
    const wrong = cli('map', other, join(dir, 'cat.csv'), '--out', join(dir, 'x.fits'));
    expect(wrong.status).to.equal(1);
    expect(wrong.out).to.contain(`RUN_DIR ${other}: a run of method example/regress; lensforge map needs a trained mass-mapping/rcgan run`);
    expect(existsSync(join(dir, 'x.fits'))).to.equal(false);
  });

  it('gan: a tiny trained rcGAN run draws posterior samples (mean, std, samples, mask, ngal with WCS); lensforge export exports its generator @backend', async () => {
    const reg = await createRegistry();
    const run = join(dir, 'rcgan-run');
    const loaded = validateExperiment({
      name: 'mm-map-tiny', seed: 3, backend: testBackendRequest(),
      data: { use: 'cosmology/convergence-maps', size: 64, count: 16 },
      model: { method: {
        use: 'mass-mapping/rcgan', forward: { use: 'mass-mapping/shear-forward', nGal: 30, pixelArcmin: 0.7 },
        regulariser: { use: 'mass-mapping/rcgan-regulariser', samples: 2, tuneSamples: 2 },
        generator: { baseFilters: 2, residualBlocks: 1, batchNorm: false }, critic: { baseFilters: 2 },
        valSize: 2, testSize: 2, posteriorSamples: 2, sweep: [2], sampleBatch: 8, panelMaps: 0, wienerMaps: 0,
      } },
      loss: { use: 'gan/wgan-gp' },
      train: { epochs: 1, batchSize: 2, trainSize: 2, optimizer: { use: 'core/adam', lr: 0.001 } },
      evaluate: [],
    }, reg);
    await withTestBackend(() => runExperiment(loaded, { registry: reg, out: run, logger: new MemoryLogger(), progress: new SilentProgress() }));
    const kappa = blobKappa(64, [{ x: 20, y: 30, amplitude: 0.2, sigma: 3 }]);
    const { catalog } = syntheticShearCatalog({ kappa, n: 64, pixelArcmin: 0.7, center: { ra: 150.1, dec: 2.2 }, density: 5, sigmaE: 0.3, rng: Rng.fromSeed(2) });
    writeShearCatalogCsv(join(dir, 'gan-cat.csv'), catalog);
    const out = join(dir, 'gan.fits');
    const r = cli('map', run, join(dir, 'gan-cat.csv'), '--out', out, '--estimator', 'gan', '--samples', '5', '--batch', '2', '--center', '150.1,2.2');
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.contain('rcGAN posterior from');
    expect(r.out).to.contain('binned on 64x64 pixels of 0.7\'');
    const h = readFitsImageHdus(out);
    expect(h.map((x) => [x.name, x.shape])).to.deep.equal([['KAPPA', [64, 64]], ['STD', [64, 64]], ['SAMPLES', [5, 64, 64]], ['MASK', [64, 64]], ['NGAL', [64, 64]], ['NOISE', [64, 64]]]);
    expect(h[0].data.every(Number.isFinite)).to.equal(true);
    expect(h[1].data.every((v) => v > 0), 'posterior std > 0 everywhere').to.equal(true);
    const mean0 = h[2].data.subarray(0, 64 * 64).reduce((a, v) => a + v, 0);
    expect(mean0).to.not.equal(h[2].data.subarray(64 * 64, 2 * 64 * 64).reduce((a, v) => a + v, 0));
    for (const x of h) expect([x.header.get('CTYPE1'), x.header.get('CUNIT1'), x.header.get('RADESYS')]).to.deep.equal(['RA---TAN', 'deg', 'ICRS']);
    expect(h[0].header.get('ESTIMATR')).to.equal('gan');
    expect(h[0].header.get('NSAMPLES')).to.equal(5);

    const exp = join(dir, 'export');
    const e = cli('export', run, '--out', exp);
    expect(e.status, e.out).to.equal(0);
    const card = JSON.parse(readFileSync(join(exp, 'lensforge-model.json'), 'utf8')) as { method: string; networks: Array<{ name: string; role: string; inputShape: unknown[]; output: { kind: string; scale: number[] } }> };
    expect(card.method).to.equal('mass-mapping/rcgan');
    expect(card.networks.map((x) => [x.name, x.role, x.inputShape, x.output.kind])).to.deep.equal([['generator', 'generator', [null, 64, 64, 6], 'image']]);
    expect(card.networks[0].output.scale[0]).to.be.greaterThan(0);
    expect(existsSync(join(exp, 'generator', 'model.json'))).to.equal(true);
  });
});
