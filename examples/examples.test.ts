import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRegistry, loadExperiment } from '../core/index.js';

/** Every shipped experiment file stays valid as components and options evolve. */
describe('example experiment files', function () {
  this.timeout(60000);
  const files = readdirSync('examples').filter((f) => /\.ya?ml$/.test(f)).map((f) => join('examples', f));
  files.push('examples/custom-plugin/experiment.yaml');

  it('there are example files to check', () => { expect(files.length).to.be.greaterThan(5); });

  for (const file of files) {
    it(`${file} validates`, async () => {
      const reg = await createRegistry();
      const loaded = await loadExperiment(file, reg);
      expect(loaded.components.method.component.name).to.be.a('string');
    });
  }
});
