import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTestSupport } from './plugin-imports.js';

/**
 * The plugin layout rule (README "Layout"): what a plugin's manifest registers — its components
 * and its CLI commands — lives in `components/`, one per file; everything else (numerics,
 * networks, training steps, io) lives in domain folders, and `components/` holds nothing else
 * (besides tests and their fixtures; `isTestSupport`).
 * Read from the sources, so a file put in the wrong place fails here.
 */
function repoRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
}
const srcRoot = join(repoRoot(), 'plugins');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const pluginDirs = readdirSync(srcRoot).filter((d) => existsSync(join(srcRoot, d, 'plugin.ts')));

describe('plugin layout', () => {
  it('finds the built-in plugins in the sources', () => {
    expect(pluginDirs).to.include.members(['lensing', 'simsiam', 'gan', 'encoders', 'cosmology', 'mass-mapping', 'band-pretext', 'slurm']);
  });

  for (const p of pluginDirs) {
    it(`${p}: everything its manifest registers is in components/, and components/ holds only that`, () => {
      const dir = join(srcRoot, p);
      const manifest = readFileSync(join(dir, 'plugin.ts'), 'utf8');
      const listed = [...manifest.matchAll(/(?:components|commands)\s*:\s*\[([^\]]*)\]/g)]
        .flatMap((m) => m[1].split(',').map((s) => s.replace('...', '').trim()).filter(Boolean));
      const misplaced: string[] = [];
      const sources = new Set<string>();
      for (const m of manifest.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(\.[^']+)'/g)) {
        const names = m[1].split(',').map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!);
        if (!names.some((n) => listed.includes(n))) continue;
        const file = join(dir, m[2].replace(/\.js$/, '.ts'));
        sources.add(file);
        if (!relative(dir, file).startsWith('components/')) misplaced.push(`${relative(dir, file)} (${names.filter((n) => listed.includes(n)).join(', ')})`);
      }
      expect(misplaced, `registered outside ${p}/components/`).to.deep.equal([]);
      const registered = files(dir).filter((f) => !isTestSupport(f) && /^@component\(/m.test(readFileSync(f, 'utf8')));
      expect(registered.filter((f) => !relative(dir, f).startsWith('components/')).map((f) => relative(dir, f)), `@component classes outside ${p}/components/`).to.deep.equal([]);
      const cdir = join(dir, 'components');
      const extra = existsSync(cdir) ? files(cdir).filter((f) => !isTestSupport(f) && !sources.has(f)).map((f) => relative(dir, f)) : [];
      expect(extra, `files in ${p}/components/ that the manifest does not register`).to.deep.equal([]);
    });
  }
});
