import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The script that runs a single-node cluster on this host (munged, slurmctld, slurmd). */
export const CLUSTER_SCRIPT = resolve('plugins/slurm/scripts/slurm-local-cluster.sh');

export interface LocalCluster { dir: string; conf: string; stop(): void }

/**
 * Start a single-node Slurm cluster under a temp folder. Returns it, or the reason it could not
 * start (binaries absent, not root, daemons failing) as a string.
 */
export function startLocalCluster(): LocalCluster | string {
  if (!existsSync(CLUSTER_SCRIPT)) return `${CLUSTER_SCRIPT} not found`;
  const dir = mkdtempSync(join(tmpdir(), 'lf-slurm-'));
  const r = spawnSync('bash', [CLUSTER_SCRIPT, 'start', dir], { encoding: 'utf8' });
  const stop = () => { spawnSync('bash', [CLUSTER_SCRIPT, 'stop', dir], { encoding: 'utf8' }); };
  if (r.status !== 0) {
    stop();
    return `the Slurm daemons could not start (exit ${r.status}): ${(r.stderr || r.stdout).trim()}`;
  }
  return { dir, conf: join(dir, 'slurm.conf'), stop };
}
