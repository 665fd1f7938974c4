/**
 * The files `lensforge init plugin NAME` writes: a plugin package that builds with its own tsc,
 * imports everything (tf included) from lensforge, a peer dependency, and runs with `lensforge run`.
 */
export interface PluginTemplateInput {
  /** Plugin name: the namespace of its components (`NAME/disks`). */
  name: string;
  /** npm package name. */
  packageName: string;
  lensforgeVersion: string;
  typescriptVersion: string;
  typesNodeVersion: string;
}

const pascal = (s: string) => s.split(/[^a-z0-9]+/i).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');

/** Relative path -> file contents. */
export function pluginTemplate(t: PluginTemplateInput): Record<string, string> {
  const P = pascal(t.name);
  return {
    'package.json': JSON.stringify({
      name: t.packageName,
      version: '0.1.0',
      description: `lensforge plugin "${t.name}": a disk simulator and a flip augmenter`,
      type: 'module',
      main: './dist/plugin.js',
      types: './dist/plugin.d.ts',
      exports: { '.': { types: './dist/plugin.d.ts', default: './dist/plugin.js' } },
      files: ['dist', '!dist/**/*.test.*'],
      scripts: { build: 'tsc -p .', test: 'tsc -p . && node --test dist/components/disk-simulator.test.js', run: 'lensforge run experiment.yaml' },
      peerDependencies: { lensforge: `^${t.lensforgeVersion}` },
      devDependencies: { '@types/node': `^${t.typesNodeVersion}`, typescript: `^${t.typescriptVersion}` },
    }, null, 2) + '\n',

    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
        outDir: 'dist', rootDir: 'src', strict: true, declaration: true, skipLibCheck: true, types: ['node'],
        // lensforge components are tsyringe classes: constructor injection needs both
        experimentalDecorators: true, emitDecoratorMetadata: true,
      },
      include: ['src'],
    }, null, 2) + '\n',

    '.gitignore': 'node_modules/\ndist/\nruns/\n',

    'src/plugin.ts': `import { definePlugin } from 'lensforge';
import { ${P}DiskSimulator } from './components/disk-simulator.js';
import { ${P}FlipAugmenter } from './components/flip-augmenter.js';

/** The manifest lensforge loads (\`plugins: [${t.packageName}]\` or a path to this file). */
export default definePlugin({
  name: '${t.name}',
  version: '0.1.0',
  description: 'a disk simulator and a flip augmenter',
  // the plugins this one needs loaded first: those it imports code from (through their index)
  // or whose components it builds by name, e.g. ['encoders']; a missing one is an error naming both
  dependsOn: [],
  components: [${P}DiskSimulator, ${P}FlipAugmenter],
});
`,

    'src/components/disk-simulator.ts': `import { component, inject, TOKENS, z, type Rng, type Sample, type Simulator } from 'lensforge';

export const DiskOptions = z.strictObject({
  size: z.number().int().min(8).max(256).default(24).describe('image side in pixels'),
  count: z.number().int().min(1).default(128).describe('number of samples per split'),
  noise: z.number().min(0).default(0.05).describe('Gaussian noise rms'),
});
export type DiskOptions = z.output<typeof DiskOptions>;

/** A uniform disk of random radius and flux, off centre, plus white noise. Labels: radius (pixels), flux. */
@component({ kind: 'simulator', name: '${t.name}/disks', description: 'uniform disks with noise', options: DiskOptions })
export class ${P}DiskSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames = ['radius', 'flux'] as const;
  readonly size: number;

  constructor(@inject(TOKENS.Options) private readonly opts: DiskOptions, @inject(TOKENS.Rng) private readonly rng: Rng) {
    this.imageShape = [opts.size, opts.size, 1];
    this.size = opts.count;
  }

  /** A pure function of the seed, the split and the index. */
  sample(index: number, split = 'train'): Sample {
    const r = this.rng.derive(\`\${split}:\${index}\`);
    const n = this.opts.size;
    const radius = r.uniform(n / 10, n / 4);
    const flux = r.uniform(0.5, 1.5);
    const cx = (n - 1) / 2 + r.uniform(-n / 8, n / 8), cy = (n - 1) / 2 + r.uniform(-n / 8, n / 8);
    const image = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const inside = (j - cx) ** 2 + (i - cy) ** 2 <= radius * radius;
        image[i * n + j] = (inside ? flux : 0) + r.normal(0, this.opts.noise);
      }
    }
    return { image, labels: { radius, flux } };
  }
}
`,

    'src/components/flip-augmenter.ts': `import { component, inject, tf, TOKENS, z, type Augmenter, type Batch, type Rng } from 'lensforge';

export const FlipOptions = z.strictObject({ p: z.number().min(0).max(1).default(0.5).describe('flip probability per image') });

/** Mirror each image left-right with probability p (tf comes from lensforge: one TF.js for all). */
@component({ kind: 'augmenter', name: '${t.name}/flip', description: 'random left-right flip', options: FlipOptions })
export class ${P}FlipAugmenter implements Augmenter {
  constructor(@inject(TOKENS.Options) private readonly opts: z.output<typeof FlipOptions>) {}

  view(batch: Batch, rng: Rng): tf.Tensor4D {
    return tf.tidy(() => {
      const flipped = tf.reverse(batch.images, 2);
      const mask = tf.tensor(batch.samples.map(() => (rng.bernoulli(this.opts.p) ? 1 : 0)), [batch.samples.length, 1, 1, 1]);
      return tf.add(tf.mul(mask, flipped), tf.mul(tf.sub(1, mask), batch.images)) as tf.Tensor4D;
    });
  }
}
`,

    'src/components/disk-simulator.test.ts': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from 'lensforge';
import { DiskOptions, ${P}DiskSimulator } from './disk-simulator.js';
import plugin from '../plugin.js';

test('disks: same seed and index give the same image; labels in range; disk brighter than background', () => {
  const opts = DiskOptions.parse({ size: 16, noise: 0 });
  const a = new ${P}DiskSimulator(opts, Rng.fromSeed(1)).sample(3);
  const b = new ${P}DiskSimulator(opts, Rng.fromSeed(1)).sample(3);
  assert.deepEqual(a, b);
  assert.notDeepEqual(new ${P}DiskSimulator(opts, Rng.fromSeed(2)).sample(3).labels, a.labels);
  assert.equal(a.image.length, 16 * 16);
  assert.ok(a.labels.radius >= 1.6 && a.labels.radius <= 4, \`radius \${a.labels.radius}\`);
  const total = a.image.reduce((s, v) => s + v, 0);
  // noise 0: the image holds flux on the pixels inside the disk, about pi r^2 of them
  assert.ok(Math.abs(total / a.labels.flux - Math.PI * a.labels.radius ** 2) < 4 * a.labels.radius + 4, \`sum \${total}\`);
});

test('the manifest lists both components', () => {
  assert.equal(plugin.name, '${t.name}');
  assert.deepEqual(plugin.components.map((c) => c.name), ['${P}DiskSimulator', '${P}FlipAugmenter']);
});
`,

    'experiment.yaml': `# A quick SimSiam run on the plugin's disks (seconds):  npm run build && npx lensforge run experiment.yaml
name: ${t.name}-disks
seed: 1
backend: auto
plugins: [./src/plugin.ts]     # relative to this file; its compiled dist/plugin.js is used. Or the package name: [${t.packageName}]
data: { use: ${t.name}/disks, size: 24, count: 96 }
augment: { use: ${t.name}/flip, p: 0.5 }
model:
  encoder: { use: encoders/small-cnn, width: 4 }
  method:
    use: simsiam/simsiam
    projector: { hidden: 16, out: 16 }
    predictor: { bottleneck: 4 }
    evaluation: { size: 24 }
    downstream: { target: radius, trainSize: 48, testSize: 24, epochs: 1, batchSize: 12 }
loss: simsiam/neg-cosine
train: { epochs: 1, batchSize: 12, trainSize: 48 }
evaluate:
  - { use: simsiam/knn-r2, k: 3, folds: 3, labels: [radius] }
`,

    'README.md': `# ${t.packageName}

A lensforge plugin (\`${t.name}/disks\`, \`${t.name}/flip\`), scaffolded by \`lensforge init plugin ${t.name}\`.

\`\`\`bash
npm install          # lensforge is a peer dependency: npm installs it beside this package
npm test             # tsc, then node --test on the compiled test
npx lensforge run experiment.yaml --out runs/disks
\`\`\`

Import everything, TF.js included, from lensforge (\`import { component, tf, z } from 'lensforge'\`);
do not add \`@tensorflow/tfjs\`, \`tsyringe\` or \`reflect-metadata\` to this package's dependencies.

Services arrive by constructor injection, typed: \`@inject(TOKENS.Options)\`, \`@inject(TOKENS.Rng)\`,
\`@inject(TOKENS.ComponentPath) path: string\` (where the component's spec sits in the config, e.g.
\`data\`: name nested specs and fields in errors from it, \`\${path}.size\`). List the plugins this
one needs in the manifest's \`dependsOn\` (\`src/plugin.ts\`); \`npx lensforge plugins\` shows them.

Layout (lensforge's rule): what the manifest registers (components, CLI commands) lives in
\`src/components/\`, one per file, named after it; pure code (numerics, networks, io) in domain
folders beside it (\`src/numerics/\`, \`src/nets/\` ...), never registered.
`,
  };
}
