import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError, describeError } from '../errors.js';
import { ConsoleLogger } from '../di/logger.js';
import { TerminalProgress } from '../di/progress.js';
import { createRegistry } from '../dataset/build-simulator.js';
import { simulateDataset } from '../dataset/simulate.js';
import { loadExperiment, readConfigFile } from '../experiment/load-config.js';
import { validateConfigFile } from '../experiment/validate-config.js';
import { applyOverrides } from '../experiment/overrides.js';
import { runExperiment } from '../experiment/runner.js';
import { runBench } from '../experiment/bench.js';
import { loadPluginsInto } from '../registry/plugin-loader.js';
import { versions } from '../experiment/versions.js';
import { describeOptions, formatOptions } from './describe-options.js';
import { doctorCommand } from './commands/doctor.js';
import { addDataCommands } from './commands/data-inspect.js';
import { dirname, resolve } from 'node:path';
import { executionRequest, withExecutionOptions, type ExecutionFlags } from './commands/execution-options.js';
import { addStatusCommand } from './commands/status-command.js';
import { addTaskCommand } from './commands/task-command.js';
import { simulateOnExecutor } from '../execution/simulate-on-executor.js';
import { addExportCommand } from './commands/export.js';
import { addEmbedCommand } from './commands/embed.js';
import { addPredictCommand } from './commands/predict.js';
import { addInitCommand } from './commands/init-plugin.js';
import { addPluginsCommand } from './commands/plugins-command.js';
import { addReportCommand } from './commands/report.js';
import { applyDebugFlag, debugEnabled } from './debug-flag.js';

const collect = (v: string, prev: string[]) => [...prev, v];

function sets(opts: { set?: string[]; backend?: string }): string[] {
  return [...(opts.set ?? []), ...(opts.backend ? [`backend=${opts.backend}`] : [])];
}

export async function main(argv: string[]): Promise<void> {
  applyDebugFlag(argv);
  const registry = await createRegistry();
  const logger = new ConsoleLogger(debugEnabled());
  const program = new Command('lensforge')
    .description('machine learning on astronomical images: simulate, compose, train, benchmark')
    .version(versions().lensforge)
    .option('--plugin <module>', 'load a plugin module (path or package) before running', collect, [] as string[])
    .option('--debug', 'debug log lines, and the stack trace of an error (also LENSFORGE_DEBUG=1)');
  program.hook('preAction', async () => {
    const p = program.opts<{ plugin: string[] }>().plugin;
    if (p.length) await loadPluginsInto(registry, p, process.cwd());
  });

  program.command('run <config>').description('run an experiment and write a run directory')
    .option('--out <dir>', 'run directory (default runs/<name>)')
    .option('--set <path=value>', 'override a config value (repeatable)', collect, [])
    .option('--backend <name>', 'auto | gpu | node | native | wasm | cpu')
    .option('--resume', 'continue an interrupted run from its last checkpoint')
    .option('--overwrite', 'move the run in --out aside whole (to DIR.replaced-<time>) and start over; with --resume only if its configuration differs')
    .action(async (config: string, o: { out?: string; set: string[]; backend?: string; resume?: boolean; overwrite?: boolean }) => {
      const loaded = await loadExperiment(config, registry, sets(o));
      const r = await runExperiment(loaded, { registry, out: o.out, resume: o.resume, overwrite: o.overwrite, logger, progress: new TerminalProgress() });
      console.log(JSON.stringify(r.summary.metrics, null, 2));
      if (Object.keys(r.timings).length) logger.info(`timings (wall clock, not part of the metrics): ${JSON.stringify(r.timings)}`);
      logger.info(`run directory: ${r.runDir.path}`);
    });

  program.command('validate <config>').description('check a config (names, options, structure, every bench variant) without running it')
    .option('--set <path=value>', 'override a config value (repeatable)', collect, [])
    .action(async (config: string, o: { set: string[] }) => {
      const { loaded, bench } = await validateConfigFile(config, registry, o.set);
      const c = loaded.components;
      console.log(`${config}: valid. data=${c.data.component.name} method=${c.method.component.name}` +
        `${c.encoder ? ` encoder=${c.encoder.component.name}` : ''}${c.augment ? ` augment=${c.augment.component.name}` : ''}` +
        `${c.loss ? ` loss=${c.loss.component.name}` : ''} metrics=[${c.evaluate.map((m) => m.component.name).join(', ')}]` +
        (bench ? `; bench: ${bench.variants.length} variant(s) x ${bench.bench.seeds.length} seed(s)${bench.trials.length ? ` x ${bench.trials.length} tuning trial(s)` : ''} = ${bench.items.length} run(s), all valid` : ''));
    });

  program.command('list [kind]').description('list registered components with their options and defaults')
    .option('--json', 'machine-readable output')
    .action((kind: string | undefined, o: { json?: boolean }) => {
      const comps = registry.list(kind);
      if (o.json) {
        console.log(JSON.stringify(comps.map((c) => ({ kind: c.kind, name: c.name, plugin: c.plugin, description: c.description, options: describeOptions(c) })), null, 2));
        return;
      }
      let lastKind = '';
      for (const c of comps) {
        if (c.kind !== lastKind) { console.log(`\n${plural(c.kind)} — ${registry.kindDescription(c.kind) ?? ''}`); lastKind = c.kind; }
        console.log(`  ${c.name}  (${c.plugin})  ${c.description}`);
        for (const line of formatOptions(describeOptions(c))) console.log(line);
      }
    });

  withExecutionOptions(program.command('bench <config>').description('run a grid of alternatives x seeds and write a comparison table')
    .option('--out <dir>', 'output folder (default runs/<name>)')
    .option('--set <path=value>', 'override a config value (repeatable)', collect, [])
    .option('--backend <name>', 'auto | gpu | node | native | wasm | cpu')
    .option('--overwrite', 'replace cells whose directory holds a run of another configuration (moved aside whole) instead of refusing'))
    .action(async (config: string, o: { out?: string; set: string[]; backend?: string; overwrite?: boolean } & ExecutionFlags) => {
      const raw = readConfigFile(config);
      applyOverrides(raw, sets(o));
      if (Array.isArray(raw.plugins)) await loadPluginsInto(registry, raw.plugins as string[], dirname(resolve(config)));
      const execution = executionRequest(o, raw.executor, registry, logger, new TerminalProgress(), program.opts<{ plugin: string[] }>().plugin, config);
      const r = await runBench(raw, { registry, out: o.out, overwrite: o.overwrite, logger, progress: new TerminalProgress(), source: config, baseDir: dirname(resolve(config)), execution });
      console.log(`\n${r.table}\n`);
      logger.info(`results: ${r.outDir}/results.md, results.csv, summary.json`);
    });

  withExecutionOptions(program.command('simulate <config>').description("write the config's simulator output to disk (.npy shards, parameter tables, manifest)")
    .requiredOption('--out <dir>', 'dataset folder')
    .option('--workers <n>', 'worker threads (default: simulate.workers, or all cores)')
    .option('--shards-per-task <n>', 'with --executor: shards per task (default 1)')
    .option('--set <path=value>', 'override a config value (repeatable)', collect, []))
    .action(async (config: string, o: { out: string; workers?: string; shardsPerTask?: string; set: string[] } & ExecutionFlags) => {
      const loaded = await loadExperiment(config, registry, o.set);
      const workers = o.workers === undefined ? undefined : Number(o.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw new ConfigError([{ path: '--workers', message: `expected a positive integer, got "${o.workers}"` }]);
      const execution = executionRequest(o, loaded.raw.executor, registry, logger, new TerminalProgress(), program.opts<{ plugin: string[] }>().plugin, config);
      if (execution) {
        const em = await simulateOnExecutor(loaded, o.out, registry, execution, o.shardsPerTask === undefined ? 1 : Number(o.shardsPerTask));
        if (em) logger.info(`dataset: ${resolve(o.out)} (${em.count} samples x ${em.views} view(s), ${em.shards.length} shard(s))${em.complete ? '' : ' — incomplete'}`);
        else logger.info(`submitted; follow it with: lensforge status ${resolve(o.out)}`);
        return;
      }
      const m = await simulateDataset(loaded, { out: o.out, registry, logger, progress: new TerminalProgress(), workers });
      logger.info(`dataset: ${resolve(o.out)} (${m.count} samples x ${m.views} view(s), ${m.shards.length} shard(s))${m.complete ? '' : ' — incomplete'}`);
    });

  program.command('doctor').description('print the backend that will be used and why the faster ones are not, threads, SIMD, versions')
    .option('--backend <name>', 'auto | gpu | node | native | wasm | cpu', 'auto')
    .option('--json', 'machine-readable output')
    .action(doctorCommand);

  addDataCommands(program, registry);

  addStatusCommand(program, registry);
  addTaskCommand(program, registry, logger);
  addExportCommand(program, registry, logger);
  addEmbedCommand(program, registry, logger);
  addPredictCommand(program, registry);
  addInitCommand(program);
  addPluginsCommand(program, registry);
  addReportCommand(program, logger);

  for (const cmd of registry.pluginCommands()) {
    const c = program.command(cmd.name).description(cmd.description);
    for (const opt of cmd.options ?? []) c.option(opt.flags, opt.description, opt.default as string | boolean | undefined);
    c.action(async (...args: unknown[]) => {
      const cmdObj = args[args.length - 1] as Command;
      const positional = args.slice(0, -2).filter((a) => a !== undefined).map(String);
      await cmd.action(positional, cmdObj.opts(), { registry });
    });
  }
  await program.parseAsync(argv);
}


function plural(kind: string): string {
  return /(s|sh|ch|x)$/.test(kind) ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : kind.endsWith('is') ? `${kind.slice(0, -2)}es` : `${kind}s`;
}
