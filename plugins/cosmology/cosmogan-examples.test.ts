import { expect } from 'chai';
import { createRegistry, expandVariants, loadExperiment, validateExperiment, readConfigFile, setPath } from '../../core/index.js';

// The three example experiments of the geometric-GAN issue must stay valid as components evolve.
const FILES = ['examples/cosmogan-quick.yaml', 'examples/cosmogan-paper.yaml', 'examples/gan-losses.yaml'];

describe('cosmogan example experiments', () => {
  it('validate against the built-in registry, bench variants included', async () => {
    const reg = await createRegistry();
    for (const f of FILES) {
      const loaded = await loadExperiment(f, reg);
      expect(loaded.components.method.component.name, f).to.equal('gan/dcgan');
      expect(loaded.components.data.component.name, f).to.equal('cosmology/convergence-maps');
      expect(loaded.components.evaluate.map((m) => m.component.name), f).to.include.members(['cosmology/pixel-ks', 'cosmology/power-spectrum', 'cosmology/pca']);
      const bench = loaded.config.bench;
      if (!bench) continue;
      for (const v of expandVariants(bench)) {
        const raw = readConfigFile(f);
        for (const [k, val] of Object.entries(v.set)) setPath(raw, k, val);
        const variant = validateExperiment(raw, reg, `${f} [${v.name}]`);
        if (v.name.includes('relativistic')) expect((variant.components.method.options.switchLoss as { to: { use: string } }).to.use).to.equal('gan/relativistic');
      }
    }
  });
});
