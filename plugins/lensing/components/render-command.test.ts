import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readNpy, writeFits, writeNpy } from '../../../core/index.js';
import { renderSystem } from '../imaging/render-system.js';
import { renderSpecFile } from './render-command.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
const BIN = resolve('dist/core/cli/bin.js');
const ISSUE_SPEC = {
  numPix: 64, deltaPix: 0.08, supersampling: 1,
  lens: [{ type: 'EPL', theta_E: 1.2, gamma: 2.1, e1: 0.1, e2: -0.05, center_x: 0.0, center_y: 0.0 }, { type: 'SHEAR', gamma1: 0.02, gamma2: -0.01 }],
  source: [{ type: 'SERSIC_ELLIPSE', amp: 20, R_sersic: 0.3, n_sersic: 1.5, e1: 0.1, e2: 0.0, center_x: 0.05, center_y: 0.02 }],
  lensLight: [{ type: 'SERSIC_ELLIPSE', amp: 5, R_sersic: 1.0, n_sersic: 3, e1: 0.05, e2: 0.0, center_x: 0.0, center_y: 0.0 }],
  psf: { type: 'GAUSSIAN', fwhm: 0.1, truncation: 5 },
  noise: null, normalize: false,
};

function kernel5(): Float32Array {
  const k = new Float32Array(25);
  let s = 0;
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) { k[i * 5 + j] = Math.exp(-((i - 2) ** 2 + (j - 2) ** 2) / 2.2); s += k[i * 5 + j]; }
  return k.map((v) => v / s);
}

interface CliResult { status: number | null; stdout: string; stderr: string }
/** Runs `node dist/core/cli/bin.js ...args` (the three CLI runs of this file start in parallel). */
const cli = (...args: string[]) => new Promise<CliResult>((res) => {
  execFile(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: process.cwd() }, (err, stdout, stderr) => {
    res({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
  });
});

describe('lensing/components/render-command (lensforge render)', function () {
  this.timeout(60000);
  let dir: string;
  let runs: { good: CliResult; bad: CliResult; noOut: CliResult };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lensforge-render-'));
    writeFileSync(join(dir, 'system.json'), JSON.stringify(ISSUE_SPEC));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({
      ...ISSUE_SPEC,
      lens: [{ type: 'NFW', Rs: 1 }, { type: 'EPL', theta_E: 1.2, gamma: 3.5, e1: 0, e2: 0 }],
      source: [{ type: 'SERSIC_ELLIPSE', R_sersic: 0.3, n_sersic: 1.5 }],
      psf: { type: 'MOFFAT' },
    }));
    const [good, bad, noOut] = await Promise.all([
      cli('render', join(dir, 'system.json'), '--out', join(dir, 'out', 'image.npy')),
      cli('render', join(dir, 'bad.json'), '--out', join(dir, 'bad.npy')),
      cli('render', join(dir, 'system.json')),
    ]);
    runs = { good, bad, noOut };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the issue\'s JSON end to end to a float32 .npy [numPix, numPix] equal to renderSystem', () => {
    const r = runs.good;
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/wrote .*image\.npy \(float32 \[64, 64\]\)/);
    const got = readNpy(join(dir, 'out', 'image.npy'));
    expect(got.shape).to.deep.equal([64, 64]);
    expect(got.data).to.be.instanceOf(Float32Array);
    expect(Array.from(got.data)).to.deep.equal(Array.from(renderSystem(ISSUE_SPEC, catalog)));
  });

  it('loads PIXEL kernels from .npy and FITS files relative to the JSON, with seeded noise', () => {
    mkdirSync(join(dir, 'sub', 'psf'), { recursive: true });
    writeNpy(join(dir, 'sub', 'psf', 'k.npy'), kernel5(), [5, 5]);
    writeFits(join(dir, 'sub', 'psf', 'k.fits'), kernel5(), [5, 5]);
    const noise = { background_rms: 0.05, exposure_time: 1000, seed: 7 };
    const want = renderSystem({ ...ISSUE_SPEC, psf: { type: 'PIXEL', kernel: Float64Array.from(kernel5()) }, noise, normalize: true }, catalog);
    for (const k of ['psf/k.npy', 'psf/k.fits']) {
      writeFileSync(join(dir, 'sub', 'pixel.json'), JSON.stringify({ ...ISSUE_SPEC, psf: { type: 'PIXEL', kernel: k }, noise, normalize: true }));
      const out = join(dir, `pixel-${k.endsWith('npy') ? 'a' : 'b'}.npy`);
      const r = renderSpecFile(join(dir, 'sub', 'pixel.json'), out, catalog);
      expect(Array.from(r.image), k).to.deep.equal(Array.from(want));
      expect(Array.from(readNpy(out).data)).to.deep.equal(Array.from(want));
    }
    expect(Math.max(...want)).to.equal(1);
  });

  it('names every bad field and the allowed values (exit code 2)', () => {
    const r = runs.bad;
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/configuration errors in .*bad\.json/);
    expect(r.stderr).to.match(/lens\[0\]\.type: unknown mass profile "NFW"; expected one of EPL, SIE, SIS, SHEAR/);
    expect(r.stderr).to.match(/lens\[1\]\.gamma: expected a number in \[1\.2, 2\.9\] for EPL, got 3\.5/);
    expect(r.stderr).to.match(/source\[0\]\.amp: missing required parameter of SERSIC_ELLIPSE/);
    expect(r.stderr).to.match(/psf\.type: expected one of NONE, GAUSSIAN, PIXEL, got "MOFFAT"/);
  });

  it('checks --out, the JSON and the kernel file', () => {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(ISSUE_SPEC));
    writeFileSync(join(dir, 'broken.json'), '{"numPix": 64,');
    writeFileSync(join(dir, 'nokernel.json'), JSON.stringify({ ...ISSUE_SPEC, psf: { type: 'PIXEL', kernel: 'missing.npy' } }));
    writeNpy(join(dir, 'cube.npy'), new Float32Array(50).fill(0.04), [2, 5, 5]);
    writeFileSync(join(dir, 'cube.json'), JSON.stringify({ ...ISSUE_SPEC, psf: { type: 'PIXEL', kernel: 'cube.npy' } }));
    expect(() => renderSpecFile(join(dir, 'ok.json'), join(dir, 'x.txt'), catalog)).to.throw(/--out: expected a path ending in \.npy, got ".*x\.txt"/);
    expect(() => renderSpecFile(join(dir, 'nope.json'), join(dir, 'x.npy'), catalog)).to.throw(/params: file not found: .*nope\.json/);
    expect(() => renderSpecFile(join(dir, 'broken.json'), join(dir, 'x.npy'), catalog)).to.throw(/params: not valid JSON/);
    expect(() => renderSpecFile(join(dir, 'nokernel.json'), join(dir, 'x.npy'), catalog)).to.throw(/psf\.kernel: file not found: .*missing\.npy/);
    expect(() => renderSpecFile(join(dir, 'cube.json'), join(dir, 'x.npy'), catalog)).to.throw(/psf\.kernel: expected a 2-D square kernel \[k, k\] in .*cube\.npy, got shape \[2, 5, 5\]/);
    const r = runs.noOut;
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/--out: missing; expected the output \.npy path/);
  });
});
