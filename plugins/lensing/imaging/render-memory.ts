import type { AllocationContext, AllocationEstimate } from '../../../core/index.js';

/**
 * Bytes the Renderer allocates for one geometry: the sub-pixel grid x, y, the deflected
 * positions and the surface brightness (5 float64 arrays of (numPix x supersampling)^2), plus
 * the float64 image.
 */
export function renderBytes(numPix: number, supersampling: number): number {
  const sub = (numPix * supersampling) ** 2;
  return 5 * 8 * sub + 8 * numPix * numPix;
}

/** `estimateBytes` of the strong-lens simulator: the render grids, and a training batch of two views. */
export function strongLensEstimate(o: Record<string, unknown>, ctx: AllocationContext): AllocationEstimate[] {
  const numPix = Number(o.numPix), s = Number(o.supersampling ?? 1);
  const out: AllocationEstimate[] = [{
    bytes: renderBytes(numPix, s), what: 'the render grids (5 float64 arrays of (numPix x supersampling)^2 sub-pixels)',
    fields: [`numPix ${numPix}`, `supersampling ${s}`],
  }];
  if (ctx.batchSize !== undefined) {
    out.push({
      bytes: ctx.batchSize * 2 * numPix * numPix * 4, what: 'a training batch (2 float32 views per sample)',
      fields: [`train.batchSize ${ctx.batchSize}`, `numPix ${numPix}`], at: 'train.batchSize',
    });
  }
  return out;
}
