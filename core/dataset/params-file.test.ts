import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayPath } from '../io/io-error.js';
import { readParamsFile } from './params-file.js';

describe('params-*.json tables', () => {
  it('a short or malformed table is a clear error naming the file and the row', () => {
    const d = mkdtempSync(join(tmpdir(), 'lf-params-'));
    const p = join(d, 'params-00000.json');
    const shown = displayPath(p);
    const hint = 're-create the dataset with `lensforge simulate` (or restore the file)';
    writeFileSync(p, JSON.stringify([{ index: 0, labels: { a: 1 } }]));
    expect(() => readParamsFile(p, 3, ['a'])).to.throw(`parameter table ${shown}: expected 3 rows (the shard's count in manifest.json), got 1; ${hint}`);
    writeFileSync(p, JSON.stringify([{ index: 0, labels: { a: 1 } }, { index: 1 }]));
    expect(() => readParamsFile(p, 2, ['a'])).to.throw(`parameter table ${shown}: row 1: expected { index: number, labels: {...} }, got {"index":1}; ${hint}`);
    writeFileSync(p, JSON.stringify([{ index: 0, labels: { b: 1 } }]));
    expect(() => readParamsFile(p, 1, ['a'])).to.throw(`parameter table ${shown}: row 0: label "a" is missing or not a number (got undefined); ${hint}`);
    writeFileSync(p, '[{"index": 0, "labels": {"a": 1}}, {"ind');
    expect(() => readParamsFile(p, 2, ['a'])).to.throw(`parameter table ${shown}: not valid JSON at line 1, column 37: unterminated string (the file ends early; it was probably truncated (an interrupted write or a full disk))`);
    writeFileSync(p, JSON.stringify([{ index: 0, labels: { a: 1 } }]));
    expect(readParamsFile(p, 1, ['a'])).to.deep.equal([{ index: 0, labels: { a: 1 } }]);
  });
});
