import type { Command } from 'commander';
import type { Logger } from '../../di/logger.js';
import { displayPath } from '../../io/io-error.js';
import { runReport } from '../../report/generate-report.js';

/** `lensforge report BENCH_DIR... [--out DIR] [--readme FILE] [--check]` */
export function addReportCommand(program: Command, logger: Logger): void {
  program.command('report <benchDirs...>')
    .description('result tables (Markdown, mean ± std over seeds, stamped) and a static HTML report with plots from bench output folders; rewrites or checks the marked tables of a README')
    .option('--out <dir>', 'folder for index.html and results.md', 'runs/report')
    .option('--readme <file>', 'regenerate the <!-- results:NAME --> ... <!-- /results --> tables of this Markdown file (NAME: a bench folder\'s name, or NAME/TABLE for a table of its report.json `tables`)')
    .option('--check', 'with --readme: write nothing, exit 1 naming each marked table that differs from the generated one')
    .action(async (benchDirs: string[], o: { out: string; readme?: string; check?: boolean }) => {
      const r = await runReport({ benchDirs, out: o.out, readme: o.readme, check: o.check });
      const names = r.sections.map((s) => s.key);
      if (o.check) {
        logger.info(`${displayPath(o.readme!)}: every marked table matches its bench output (${names.join(', ')})`);
        return;
      }
      if (o.readme) {
        logger.info(r.readmeUpdated.length
          ? `${displayPath(o.readme)}: regenerated ${r.readmeUpdated.map((n) => `results:${n}`).join(', ')}`
          : `${displayPath(o.readme)}: marked tables already up to date`);
      }
      for (const f of r.written) logger.info(`wrote ${displayPath(f)}`);
    });
}
