import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../tensor/rng.js';
import { buildSimulator, type SimulatorRecipe } from './build-simulator.js';
import { writeShard } from './shard-writer.js';

interface Job { shard: number; start: number; count: number }
interface Init { recipe: SimulatorRecipe; dir: string; views: number; split: string; fits: boolean }

const init = workerData as Init;
const port = parentPort!;
const sim = await buildSimulator(init.recipe);
const viewRng = Rng.fromSeed(init.recipe.seed).derive('simulate');
port.on('message', (job: Job | null) => {
  if (job === null) { port.close(); return; }
  try {
    const info = writeShard(init.dir, job.shard, job.start, job.count, init.views, init.split, sim, viewRng, init.fits);
    port.postMessage({ ok: info });
  } catch (e) {
    port.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
port.postMessage({ ready: true });
