import { expect } from 'chai';
import fs, { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { displayPath, errnoText, ioError } from './io-error.js';
import { parseJsonText, readJsonFile } from './json-file.js';
import { lineColumn, scanJson } from './json-scan.js';
import { RunDir } from './run-dir.js';
import { readNpy } from './npy.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lf-ioerr-'));
const errno = (code: string, text: string, syscall = 'write') => Object.assign(new Error(`${code}: ${text}, ${syscall}`), { code, syscall, errno: -28 });

describe('I/O errors name their file and operation', () => {
  it('formats an fs error as operation, file and errno in words, keeping the cause', () => {
    const cause = errno('ENOSPC', 'no space left on device');
    const e = ioError('writing', join(process.cwd(), 'checkpoints/train/epoch-0002/tensors.bin'), cause);
    expect(e.message).to.equal('writing checkpoints/train/epoch-0002/tensors.bin: no space left on device (ENOSPC)');
    expect((e as Error & { cause?: unknown }).cause).to.equal(cause);
    expect(errnoText(errno('EWHATEVER', 'some new error'))).to.equal('some new error (EWHATEVER)');
    expect(displayPath('/somewhere/else/x.json')).to.equal('/somewhere/else/x.json');
    expect(displayPath('/runs/r1/checkpoints/a.bin', '/runs/r1')).to.equal('checkpoints/a.bin');
  });

  it('a full disk during an atomic write leaves no temp file, keeps the previous file and names the file', () => {
    const d = tmp();
    const target = join(d, 'tensors.bin');
    writeFileAtomic(target, 'previous');
    const orig = fs.writeSync;
    (fs as { writeSync: unknown }).writeSync = () => { throw errno('ENOSPC', 'no space left on device'); };
    try {
      expect(() => writeFileAtomic(target, 'new content')).to.throw(`writing ${displayPath(target)}: no space left on device (ENOSPC)`);
    } finally { (fs as { writeSync: unknown }).writeSync = orig; }
    expect(readFileSync(target, 'utf8')).to.equal('previous');
    expect(readdirSync(d)).to.deep.equal(['tensors.bin']);
  });

  it('a real ENOSPC (/dev/full) appending metrics names metrics.jsonl', function () {
    if (!existsSync('/dev/full')) this.skip();
    const run = new RunDir(tmp());
    symlinkSync('/dev/full', run.file('metrics.jsonl'));
    expect(() => run.record({ epoch: 0 })).to.throw(/^appending to .*metrics\.jsonl: no space left on device \(ENOSPC\)$/);
  });

  it('reading a missing file or a folder names it', () => {
    const d = tmp();
    expect(() => readJsonFile(join(d, 'summary.json'), 'summary')).to.throw(`reading summary ${displayPath(join(d, 'summary.json'))}: no such file or directory (ENOENT)`);
    expect(() => readNpy(d)).to.throw(`reading .npy file ${displayPath(d)}: is a directory (EISDIR)`);
  });
});

describe('JSON parse errors give file, line:column and a hint', () => {
  it('a truncated file', () => {
    const d = tmp();
    const p = join(d, 'state.json');
    writeFileSync(p, '{\n  "epoch": 3,\n  "tag": "epoch-00');
    expect(() => readJsonFile(p, 'checkpoint state')).to.throw(`checkpoint state ${displayPath(p)}: not valid JSON at line 3, column 10: unterminated string (the file ends early; it was probably truncated (an interrupted write or a full disk))`);
    writeFileSync(p, '{\n  "epoch": 3,\n');
    expect(() => readJsonFile(p, 'checkpoint state')).to.throw(`checkpoint state ${displayPath(p)}: not valid JSON at line 3, column 1: unexpected end of input; expected a property name in double quotes (the file ends early; it was probably truncated (an interrupted write or a full disk))`);
  });

  it('a missing comma, an empty file, a run file relative to its run directory', () => {
    expect(() => parseJsonText('{"a": 1\n "b": 2}', '/x/m.json', 'dataset manifest')).to.throw('dataset manifest /x/m.json: not valid JSON at line 2, column 2: unexpected """; expected "," or "}" after a property value (a comma or closing bracket is missing, or there is a trailing comma)');
    expect(() => parseJsonText('  \n', '/x/m.json', 'dataset manifest')).to.throw('dataset manifest /x/m.json: the file is empty; expected JSON (it holds only whitespace)');
    const run = new RunDir(tmp());
    writeFileSync(run.file('summary.json'), '{"metrics": {"a": 1},}');
    expect(() => run.readJson('summary.json')).to.throw('run file summary.json: not valid JSON at line 1, column 22: unexpected "}"; expected a property name in double quotes (JSON needs double-quoted keys and no trailing commas)');
  });

  it('duplicate keys on request, with their line and column', () => {
    expect(() => parseJsonText('{\n "seed": 1,\n "x": {"seed": 2},\n "seed": 3\n}', '/c.json', 'config', { uniqueKeys: true }))
      .to.throw('config /c.json: not valid JSON at line 4, column 2: duplicate key "seed" (remove one of them (JSON keeps only the last, silently))');
    expect(parseJsonText('{"a": 1, "a": 2}', '/c.json')).to.deep.equal({ a: 2 });
  });

  it('the scanner accepts what JSON.parse accepts', () => {
    for (const t of ['{}', '[]', '0', '-1.5e+3', '"\\u00e9\\n"', '{"a":[1,{"b":null}],"c":true}', '\ufeff{"a":1}']) expect(scanJson(t), t).to.equal(undefined);
    for (const t of ['{a:1}', '[1,]', '01', '"\t"', 'tru', '{"a":1}}']) expect(scanJson(t), t).to.not.equal(undefined);
    expect(lineColumn('ab\ncd', 4)).to.deep.equal({ line: 2, column: 2 });
  });
});
