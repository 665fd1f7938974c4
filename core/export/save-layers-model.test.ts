import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { layerClassNames, saveLayersModel } from './save-layers-model.js';
import { checkPlainTfjs } from './plain-tfjs-check.js';

/** A layer plain tfjs does not know: x * 2, registered for serialisation in this process only. */
class TimesTwoForExportTest extends tf.layers.Layer {
  static className = 'TimesTwoForExportTest';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2));
  }
}
tf.serialization.registerClass(TimesTwoForExportTest);

function tinyModel(custom: boolean): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  let x = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
  if (custom) x = new TimesTwoForExportTest({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}

describe('saveLayersModel and the plain-tfjs check', function () {
  this.timeout(60000);

  it('writes model.json + one shard atomically, replacing an old folder whole', async () => {
    const d = join(mkdtempSync(join(tmpdir(), 'lf-save-')), 'net');
    mkdirSync(d);
    writeFileSync(join(d, 'stale.bin'), 'old');
    const m = tinyModel(false);
    const r = await saveLayersModel(m, d);
    expect(readdirSync(d).sort()).to.deep.equal(['group1-shard1of1.bin', 'model.json']);
    expect(readdirSync(join(d, '..'))).to.deep.equal(['net']);
    const mj = JSON.parse(readFileSync(join(d, 'model.json'), 'utf8')) as { format: string; weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[] }> }> };
    expect(mj.format).to.equal('layers-model');
    expect(mj.weightsManifest[0].weights.map((w) => w.shape)).to.deep.equal([[3, 3, 1, 2], [2]]);
    expect(r.weightBytes).to.equal((18 + 2) * 4);
    expect(r.classNames).to.include.members(['Conv2D', 'GlobalAveragePooling2D', 'InputLayer']);
    m.dispose();
  });

  it('reports a model with a custom layer as needing lensforge, naming the layer', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lf-plain-'));
    const plain = tinyModel(false), custom = tinyModel(true);
    const a = await saveLayersModel(plain, join(root, 'plain'));
    const b = await saveLayersModel(custom, join(root, 'custom'));
    const [ra, rb] = checkPlainTfjs([a, b]);
    expect(ra).to.deep.equal({ dir: a.dir, loadable: true, customLayers: [] });
    expect(rb.loadable).to.equal(false);
    expect(rb.customLayers).to.deep.equal(['TimesTwoForExportTest']);
    expect(rb.error).to.contain('TimesTwoForExportTest');
    expect(layerClassNames(JSON.parse(readFileSync(join(b.dir, 'model.json'), 'utf8')))).to.include('TimesTwoForExportTest');
    plain.dispose(); custom.dispose();
  });
});
