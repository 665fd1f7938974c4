import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '../di/logger.js';
import { removeStaleTemps, runDirTempFolders } from './stale-temps.js';

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('stale temp files', () => {
  it('removes the temp files and checkpoint folders of dead writers, keeps live ones and everything else', () => {
    const d = realpathSync(mkdtempSync(join(tmpdir(), 'lf-tmp-')));
    const dead = deadPid();
    const ck = join(d, 'checkpoints', 'train');
    mkdirSync(join(ck, `.epoch-0002.${dead}.tmp`), { recursive: true });
    writeFileSync(join(ck, `.epoch-0002.${dead}.tmp`, 'tensors.bin'), 'x');
    mkdirSync(join(ck, `.epoch-0003.${process.pid}.tmp`));                  // a live writer's
    mkdirSync(join(ck, 'epoch-0001'));
    writeFileSync(join(d, `.summary.json.${dead}.0.tmp`), '{');
    writeFileSync(join(d, `.metrics.jsonl.${dead}.12.tmp`), '');
    writeFileSync(join(d, `.config.resolved.json.${process.pid}.3.tmp`), '');  // live
    writeFileSync(join(d, 'summary.json'), '{}');
    writeFileSync(join(d, `.notes.${dead}.tmp`), '');                         // a file with a folder's pattern: not ours
    const logger = new MemoryLogger();
    const removed = removeStaleTemps(d, runDirTempFolders(d), logger);
    expect(removed.map((p) => p.slice(d.length + 1)).sort()).to.deep.equal([
      `.metrics.jsonl.${dead}.12.tmp`, `.summary.json.${dead}.0.tmp`, `checkpoints/train/.epoch-0002.${dead}.tmp`,
    ]);
    expect(logger.lines).to.deep.equal([`removed 3 stale temporary files left in ${d} by processes that are no longer running: ` +
      `.metrics.jsonl.${dead}.12.tmp, .summary.json.${dead}.0.tmp, checkpoints/train/.epoch-0002.${dead}.tmp`]);
    for (const keep of [`checkpoints/train/.epoch-0003.${process.pid}.tmp`, 'checkpoints/train/epoch-0001', `.config.resolved.json.${process.pid}.3.tmp`, 'summary.json', `.notes.${dead}.tmp`]) {
      expect(existsSync(join(d, keep)), keep).to.equal(true);
    }
    // nothing left to remove: no log line
    const again = new MemoryLogger();
    expect(removeStaleTemps(d, runDirTempFolders(d), again)).to.deep.equal([]);
    expect(again.lines).to.deep.equal([]);
  });
});
