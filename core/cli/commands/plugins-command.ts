import type { Command } from 'commander';
import type { Registry } from '../../registry/registry.js';

/** One block per loaded plugin: name, version, description, what it depends on, its components, where it came from. */
export function formatPlugins(registry: Registry): string {
  return registry.pluginNames().map((name) => {
    const p = registry.plugin(name)!;
    const src = registry.pluginSource(name);
    const lines = [`${name}${p.version ? ` ${p.version}` : ''}${p.description ? `  ${p.description}` : ''}`];
    lines.push(`  depends on: ${p.dependsOn?.length ? p.dependsOn.join(', ') : '(none)'}`);
    lines.push(`  components: ${p.components.length}${p.commands?.length ? `; commands: ${p.commands.map((c) => c.name.split(' ')[0]).join(', ')}` : ''}`);
    if (src?.specifier || src?.file) lines.push(`  from: ${src.specifier ?? src.file}${src.file && src.file !== src.specifier ? ` (${src.file})` : ''}`);
    return lines.join('\n');
  }).join('\n');
}

export function addPluginsCommand(program: Command, registry: Registry): void {
  program.command('plugins').description('list loaded plugins with their dependencies (dependsOn), in load order')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      if (o.json) {
        console.log(JSON.stringify(registry.pluginNames().map((name) => {
          const p = registry.plugin(name)!;
          return { name, version: p.version, description: p.description, dependsOn: p.dependsOn ?? [], components: p.components.length, source: registry.pluginSource(name) };
        }), null, 2));
        return;
      }
      console.log(formatPlugins(registry));
    });
}
