import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { LensforgeError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic-write.js';
import { lensforgeRoot } from '../../registry/plugin-loader.js';
import { pluginTemplate } from './plugin-template.js';

export interface InitPluginResult { dir: string; packageName: string; files: string[] }

const NAME_RE = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Write a plugin package for plugin `name` into `dir` (default `./<name>`): package.json (lensforge
 * as peer dependency), tsconfig.json, src/plugin.ts, a simulator, an augmenter, a node:test test
 * and experiment.yaml. Refuses a non-empty `dir`.
 */
export function initPlugin(name: string, dir?: string): InitPluginResult {
  if (!NAME_RE.test(name)) {
    throw new LensforgeError(`init plugin: NAME: expected a lower-case kebab-case plugin name (the namespace of its components, e.g. "astro" for astro/disks), got "${name}"`);
  }
  const out = resolve(dir ?? name);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new LensforgeError(`init plugin: --dir ${out} exists and is not a directory`);
    const entries = readdirSync(out);
    if (entries.length) {
      throw new LensforgeError(`init plugin: --dir ${out} is not empty (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? `, ... ${entries.length} entries` : ''}); ` +
        'nothing was written. Choose a new or empty folder with --dir DIR');
    }
  }
  const root = lensforgeRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; devDependencies?: Record<string, string> };
  const dev = pkg.devDependencies ?? {};
  const packageName = `lensforge-plugin-${name}`;
  const files = pluginTemplate({
    name, packageName, lensforgeVersion: pkg.version,
    typescriptVersion: (dev.typescript ?? '5.9.3').replace(/^[\^~]/, ''),
    typesNodeVersion: (dev['@types/node'] ?? '20.19.0').replace(/^[\^~]/, ''),
  });
  for (const [rel, text] of Object.entries(files)) {
    const p = join(out, rel);
    writeFileAtomic(p, text);
  }
  return { dir: out, packageName, files: Object.keys(files) };
}

/** Register `lensforge init plugin NAME [--dir DIR]`. */
export function addInitCommand(program: Command): void {
  program.command('init <what> <name>').description('scaffold a plugin package: lensforge init plugin NAME [--dir DIR]')
    .option('--dir <dir>', 'folder to create (default ./NAME); must be new or empty')
    .action((what: string, name: string, o: { dir?: string }) => {
      if (what !== 'plugin') throw new LensforgeError(`init: expected "plugin" (lensforge init plugin NAME), got "${what}"`);
      const r = initPlugin(name, o.dir);
      console.log(`wrote plugin package ${r.packageName} in ${r.dir}: ${r.files.join(', ')}`);
      console.log(`next: cd ${r.dir} && npm install && npm test && npx lensforge run experiment.yaml`);
    });
}

