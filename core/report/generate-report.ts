import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { LensforgeError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { displayPath, withIo } from '../io/io-error.js';
import { readBenchOutput } from './bench-output.js';
import { htmlReport, type ReportSection } from './html-report.js';
import { markdownTable } from './markdown-table.js';
import { fillSections, firstDifference, markedSections } from './readme-markers.js';
import { buildResultsTable } from './results-table.js';
import { readTableSpecs } from './table-spec.js';

export interface ReportOptions {
  benchDirs: string[];
  /** Folder for index.html and results.md (not written with `check`). */
  out?: string;
  /** A Markdown file whose `<!-- results:NAME -->` sections are regenerated (or checked). */
  readme?: string;
  /** Compare the readme's marked tables with the generated ones; write nothing. */
  check?: boolean;
}

export interface ReportResult { sections: ReportSection[]; markdown: Map<string, string>; written: string[]; readmeUpdated: string[] }

/**
 * Every bench folder's tables (its main one, then those of report.json's `tables`); sources are shown relative to `base` (the README's folder, so the
 * stamp in the README does not depend on where the command ran).
 */
export function reportSections(benchDirs: string[], base: string): ReportSection[] {
  if (!benchDirs.length) throw new LensforgeError('report: no bench folder given; expected one or more folders written by `lensforge bench` (e.g. results/lensiam-quick)');
  const sections = benchDirs.flatMap((d) => {
    const out = readBenchOutput(d);
    const source = relative(base, resolve(out.summaryPath)).split(sep).join('/');
    return readTableSpecs(out).map(({ key, spec }) => ({ key, out, spec, table: buildResultsTable(out, spec, source) }));
  });
  const seen = new Map<string, string>();
  for (const s of sections) {
    if (s.key !== s.out.name) continue;
    const other = seen.get(s.out.name);
    if (other) throw new LensforgeError(`report: bench folders ${other} and ${displayPath(s.out.dir)} have the same name "${s.out.name}"; expected one folder per name (the name keys <!-- results:NAME -->)`);
    seen.set(s.out.name, displayPath(s.out.dir));
  }
  return sections;
}

/**
 * `lensforge report`: Markdown tables and a static HTML report from bench output folders; with
 * `readme`, the file's marked tables are rewritten (or, with `check`, compared: a table that
 * differs fails, named with its first differing line).
 */
export async function runReport(opts: ReportOptions): Promise<ReportResult> {
  if (opts.check && !opts.readme) throw new LensforgeError('report --check: expected --readme FILE (the Markdown file whose marked tables are checked)');
  const base = opts.readme ? dirname(resolve(opts.readme)) : process.cwd();
  const sections = reportSections(opts.benchDirs, base);
  const markdown = new Map(sections.map((s) => [s.key, markdownTable(s.table)]));
  const written: string[] = [];
  const readmeUpdated: string[] = [];
  if (opts.readme) {
    const shown = displayPath(opts.readme);
    const text = withIo('reading', opts.readme, () => readFileSync(opts.readme!, 'utf8'));
    const marked = markedSections(text, shown);
    for (const m of marked) {
      if (!markdown.has(m.name)) {
        throw new LensforgeError(`${shown}: line ${m.line}: <!-- results:${m.name} --> names no bench folder given (${[...markdown.keys()].join(', ')}); expected a folder named ${m.name} among the bench folders`);
      }
    }
    const differing = marked.filter((m) => m.body.trim() !== markdown.get(m.name)!.trim());
    if (opts.check) {
      if (differing.length) {
        throw new LensforgeError(`${shown}: ${differing.length} of ${marked.length} marked table${marked.length === 1 ? '' : 's'} differ${differing.length === 1 ? 's' : ''} from what \`lensforge report\` makes of the bench output:\n` +
          differing.map((m) => `  - results:${m.name} (${firstDifference(m.body.trim(), markdown.get(m.name)!.trim(), { ...m, line: m.line + 1 })})`).join('\n') +
          '\nRegenerate them with `npm run results` (or `lensforge report BENCH_DIR... --readme FILE`) instead of editing them by hand.');
      }
      return { sections, markdown, written, readmeUpdated };
    }
    if (differing.length) {
      writeFileAtomic(opts.readme, fillSections(text, marked, markdown));
      readmeUpdated.push(...differing.map((m) => m.name));
    }
  }
  if (!opts.check) {
    const outDir = resolve(opts.out ?? join('runs', 'report'));
    mkdirSync(outDir, { recursive: true });
    const all = sections.map((s) => `## ${s.table.title}\n\n${markdown.get(s.key)}\n`).join('\n');
    writeFileAtomic(join(outDir, 'results.md'), all);
    writeFileAtomic(join(outDir, 'index.html'), await htmlReport(sections, sections.map((s) => s.table.stamp.source).join(', ')));
    written.push(join(outDir, 'results.md'), join(outDir, 'index.html'));
  }
  return { sections, markdown, written, readmeUpdated };
}
