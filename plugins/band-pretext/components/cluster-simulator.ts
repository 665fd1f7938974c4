import { component, inject, TOKENS, type Rng, type Sample, type Simulator } from '../../../core/index.js';
import { BANDS } from '../sim/bands.js';
import { ClusterOptions, type ClusterConfig } from '../sim/cluster-options.js';
import { drawClusterScene, type ClusterScene } from '../sim/cluster-scene.js';
import { ProjectedNfwSampler } from '../sim/nfw-profile.js';
import { drawObservation, renderObservation, type Observation } from '../sim/render-bands.js';

/** What `Sample.scene` holds for this simulator (enough to re-render with `renderView`). */
export interface ClusterSampleScene { scene: ClusterScene; observation: Observation }

/** Label names of every sample. */
export const CLUSTER_LABELS = ['lambda', 'cluster', 'members', 'members_in_image'] as const;

/**
 * SDSS-like ugriz cutouts of galaxy clusters with known richness lambda (Liang et al. 2021,
 * §3.1; see cluster-options.ts for every default). Image: size x size x 5 (u, g, r, i, z,
 * channels last), nanomaggies, sky-subtracted by default.
 *
 * Sample `i` of split `s` images cluster c = floor(i / observationsPerCluster): the cluster
 * (richness, members, BCG, field galaxies, stars) comes from the stream
 * `rng.derive(`${s}:cluster:${c}`)`, the observation (pointing, calibration, noise) from
 * `rng.derive(`${s}:${i}`)`, so `sample(i, s)` is a pure function of (seed, s, i).
 * Labels: lambda, cluster (= Sample.group, unique within a split), members (drawn within
 * R_lambda), members_in_image. The band label of a single-band image is its channel index in
 * `BANDS` (0 = u ... 4 = z).
 */
@component({ kind: 'simulator', name: 'band-pretext/clusters', description: 'SDSS-like ugriz galaxy-cluster cutouts with richness lambda (red sequence, NFW members, BCG, field, stars)', options: ClusterOptions })
export class ClusterSimulator implements Simulator {
  readonly imageShape: readonly [number, number, number];
  readonly labelNames = CLUSTER_LABELS;
  readonly size: number;
  /** Band names of the channels. */
  readonly bands = BANDS;
  private readonly nfw: ProjectedNfwSampler;

  constructor(@inject(TOKENS.Options) readonly config: ClusterConfig, @inject(TOKENS.Rng) private readonly rng: Rng) {
    this.imageShape = [config.size, config.size, BANDS.length];
    this.size = config.count;
    this.nfw = new ProjectedNfwSampler(config.concentration);
  }

  /** Cluster id imaged by observation `index`. */
  clusterOf(index: number): number {
    return Math.floor(index / this.config.observationsPerCluster);
  }

  /** The scene of cluster `cluster` in split `split` (deterministic). */
  scene(cluster: number, split = 'train'): ClusterScene {
    return drawClusterScene(this.config, cluster, this.rng.derive(`${split}:cluster:${cluster}`), this.nfw);
  }

  sample(index: number, split = 'train'): Sample {
    if (!Number.isInteger(index) || index < 0) throw new Error(`band-pretext/clusters: sample index: expected an integer >= 0, got ${index}`);
    const cluster = this.clusterOf(index);
    const scene = this.scene(cluster, split);
    const r = this.rng.derive(`${split}:${index}`);
    const observation = drawObservation(this.config, r);
    const image = renderObservation(scene, this.config, observation, r);
    const payload: ClusterSampleScene = { scene, observation };
    return {
      image,
      labels: { lambda: scene.lambda, cluster, members: scene.members, members_in_image: scene.membersInImage },
      group: cluster,
      scene: payload,
    };
  }

  /** Re-observe the same cluster with a fresh observation (pointing, calibration, noise) from `rng`. */
  renderView(sample: Sample, rng: Rng): Float32Array {
    const s = sample.scene as ClusterSampleScene | undefined;
    if (!s?.scene) throw new Error('band-pretext/clusters: renderView: sample.scene: expected a cluster scene, got none');
    return renderObservation(s.scene, this.config, drawObservation(this.config, rng), rng);
  }
}
