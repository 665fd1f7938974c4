import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, MAX_ALLOC_ENV } from '../../../core/index.js';
import { SpecValidationError } from '../profiles/spec-validation-error.js';
import { renderSpecFile } from '../components/render-command.js';
import { renderBytes } from './render-memory.js';
import { Renderer } from './renderer.js';
import { lensingCatalog } from '../testing/lensing-catalog.js';

/** The lensing plugin's profiles from a registry, passed explicitly (no default catalog anywhere). */
const catalog = lensingCatalog();
describe('render sizes that cannot be allocated are refused before allocating', () => {
  it('the renderer and `lensforge render` refuse numPix 4096 x supersampling 16 with the estimated bytes', () => {
    expect(renderBytes(4096, 16)).to.equal(5 * 8 * 65536 * 65536 + 8 * 4096 * 4096);
    const prev = process.env[MAX_ALLOC_ENV];
    process.env[MAX_ALLOC_ENV] = '4096';
    const msg = 'numPix: numPix 4096 x supersampling 16 needs about 160.1 GiB for the render grids (5 float64 arrays of (numPix x supersampling)^2 sub-pixels), more than the allocation limit of 4.00 GiB (LENSFORGE_MAX_ALLOC_MB=4096); reduce numPix or supersampling';
    try {
      let err: unknown;
      try { new Renderer({ numPix: 4096, deltaPix: 0.05, supersampling: 16 }); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(SpecValidationError);
      expect((err as SpecValidationError).issues).to.deep.equal([msg]);
      const d = mkdtempSync(join(tmpdir(), 'lf-render-'));
      writeFileSync(join(d, 'big.json'), JSON.stringify({ numPix: 4096, deltaPix: 0.05, supersampling: 16 }));
      expect(() => renderSpecFile(join(d, 'big.json'), join(d, 'o.npy'), catalog)).to.throw(ConfigError, msg);
      expect(() => new Renderer({ numPix: 64, deltaPix: 0.05, supersampling: 4 })).to.not.throw();
    } finally { if (prev === undefined) delete process.env[MAX_ALLOC_ENV]; else process.env[MAX_ALLOC_ENV] = prev; }
  });
});
