import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESUME_CASES, type ResumeResult } from './resume-matrix.fixture.js';

const FIXTURE = 'dist/plugins/simsiam/components/resume-matrix.fixture.js';

describe('simsiam/simsiam resume matrix: stopped mid-epoch, resumed, bit-identical to an uninterrupted run (through the runner) @backend @slow', function () {
  this.timeout(600000);
  let results: ResumeResult[];
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-ss-resume-'));
    // its own process with one native thread (two are not yet repeatable run to run on native); wasm as it is
    const r = spawnSync(process.execPath, [FIXTURE, dir], { encoding: 'utf8', env: { ...process.env, LENSFORGE_NATIVE_THREADS: '1' } });
    expect(r.status, r.stderr).to.equal(0);
    results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResumeResult[];
  });

  for (const [i, c] of RESUME_CASES.entries()) {
    it(`${c.name}, stopped in ${c.stopIn} epoch 2`, () => {
      const r = results[i];
      expect(r.name).to.equal(c.name);
      expect(r.stopError).to.match(new RegExp(`^model\\.method: method simsiam/simsiam \\(plugin "simsiam", .*\\) failed in run\\(\\): stopped in \\[simsiam-resume\\] ${c.stopIn} epoch 2/3$`));
      expect(r.summaryAfterStop).to.equal(false);
      expect(r.checkpointsAfterStop).to.deep.equal(['epoch-0000']);
      expect(r.resumeLog).to.include(`[simsiam-resume] ${c.stopIn}: resuming at epoch 2/3`);
      expect(r.resumed.metrics).to.equal(r.full.metrics);
      expect(r.resumed.records).to.deep.equal(r.full.records);
      expect(r.resumed.tensors).to.deep.equal(r.full.tensors);
      expect(Object.keys(r.full.tensors)).to.include.members([`${c.stopIn}/epoch-0001`, `${c.stopIn}/epoch-0002`]);
    });
  }
});
