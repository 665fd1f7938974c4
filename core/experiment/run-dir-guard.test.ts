import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFinishedRun, readStoredRun, storedRunMismatch } from './run-dir-guard.js';

describe('experiment/run-dir-guard', () => {
  it('a run directory whose summary.json and config.resolved.json disagree names both files and hashes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-guard-'));
    writeFileSync(join(dir, 'config.resolved.json'), JSON.stringify({ configHash: 'aaaa', seed: 1 }));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ configHash: 'bbbb', metrics: {}, timings: {} }));
    const stored = readStoredRun(dir)!;
    expect(storedRunMismatch(stored, 'aaaa', { seed: 1 })).to.equal(
      `holds files of two configurations: ${join(dir, 'config.resolved.json')} has hash aaaa, ${join(dir, 'summary.json')} hash bbbb (this config: aaaa)`);
    expect(isFinishedRun(stored, 'aaaa')).to.equal(false);
  });

  it('an agreeing finished run of the same hash is no mismatch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-guard-'));
    writeFileSync(join(dir, 'config.resolved.json'), JSON.stringify({ configHash: 'aaaa', seed: 1 }));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ configHash: 'aaaa', metrics: {}, timings: {} }));
    const stored = readStoredRun(dir)!;
    expect(storedRunMismatch(stored, 'aaaa', { seed: 1 })).to.equal(undefined);
    expect(isFinishedRun(stored, 'aaaa')).to.equal(true);
  });
});
