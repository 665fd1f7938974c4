import { expect } from 'chai';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReport } from './generate-report.js';
import { markedSections } from './readme-markers.js';

/** The bench outputs committed under results/ (what `npm run results` reads: results/*\/). */
const committed = () => readdirSync('results', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join('results', e.name));

describe('README result tables = lensforge report of the committed bench outputs', function () {
  this.timeout(60000);

  it('every marked table of README.md is exactly what the generator makes of results/<name>/', async () => {
    const dirs = committed();
    expect(dirs.length).to.be.greaterThan(0);
    const r = await runReport({ benchDirs: dirs, readme: 'README.md', check: true });
    const marked = markedSections(readFileSync('README.md', 'utf8'), 'README.md');
    // every committed bench output has its table in the README, and each table matches exactly
    expect(marked.map((m) => m.name).sort()).to.deep.equal(r.sections.map((s) => s.key).sort());
    for (const m of marked) expect(m.body, `results:${m.name}`).to.equal(`\n${r.markdown.get(m.name)}\n`);
    for (const name of r.markdown.keys()) {
      expect(existsSync(join('results', name.split('/')[0], 'summary.json')), name).to.equal(true);
      expect(r.markdown.get(name)).to.match(/config hash [0-9a-f]{16}; seeds? [\d, ]+; backend \w+; commit [0-9a-f]{7}/);
    }
  });

  it('a hand-edited number in a marked table fails the check, naming the table and the line', async () => {
    const work = mkdtempSync(join(tmpdir(), 'lf-readme-'));
    cpSync('results', join(work, 'results'), { recursive: true });
    const text = readFileSync('README.md', 'utf8');
    const m = markedSections(text, 'README.md')[0];
    const row = m.body.split('\n').find((l) => /^\|[^|]+\| \**\d\.\d{3}/.test(l))!;
    const edited = row.replace(/(\d\.\d\d)(\d)/, (_, a: string, d: string) => `${a}${(Number(d) + 1) % 10}`);
    writeFileSync(join(work, 'README.md'), text.replace(row, edited));
    const benchDirs = committed().map((d) => join(work, d));
    let err: Error | undefined;
    try { await runReport({ benchDirs, readme: join(work, 'README.md'), check: true }); } catch (e) { err = e as Error; }
    expect(err?.message).to.contain(`1 of ${markedSections(text, 'x').length} marked table`);
    expect(err?.message, err?.message).to.contain(`  - results:${m.name} (line ${text.slice(0, text.indexOf(row)).split('\n').length}: the file has "${edited}", the generator "${row}")`);
    // regenerating restores the README byte for byte
    await runReport({ benchDirs, readme: join(work, 'README.md'), out: join(work, 'report') });
    expect(readFileSync(join(work, 'README.md'), 'utf8')).to.equal(text);
  });
});
