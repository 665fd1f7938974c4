/**
 * Rounds of the training-step benchmark: on a shared or throttled machine the speed of both
 * contestants drifts over tens of seconds, so ours and PyTorch's steps alternate model by model
 * (round 1: ours on A, PyTorch on A, ours on B, ...; then round 2 ...), and the ratio reported
 * is the median of the per-round ratios: each round's two figures were measured back to back.
 */
import { median } from './median.js';

/** The figures of one (model, contestant) measurement that are combined over rounds. */
export interface RoundFigures {
  msMedian: number;
  msMin: number;
  msMax: number;
  cpuMsPerStep: number;
  foreignCores: number;
  steps: number;
  fwdImagesPerSec?: number;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * One row from a model's rounds: ms/step is the median of the rounds' medians, min and max over
 * every timed step, CPU time and foreign load the mean, steps the total; `roundMs` keeps each
 * round's median.
 */
export function combineRounds<T extends RoundFigures>(rounds: T[]): T & { roundMs: number[] } {
  if (rounds.length === 0) throw new Error('combineRounds: expected at least one round, got none');
  const fwd = rounds.map((r) => r.fwdImagesPerSec).filter((v): v is number => v !== undefined);
  return {
    ...rounds[0],
    msMedian: median(rounds.map((r) => r.msMedian)),
    msMin: Math.min(...rounds.map((r) => r.msMin)),
    msMax: Math.max(...rounds.map((r) => r.msMax)),
    cpuMsPerStep: mean(rounds.map((r) => r.cpuMsPerStep)),
    foreignCores: mean(rounds.map((r) => r.foreignCores)),
    steps: rounds.reduce((a, r) => a + r.steps, 0),
    ...(fwd.length ? { fwdImagesPerSec: median(fwd) } : {}),
    roundMs: rounds.map((r) => r.msMedian),
  };
}

/**
 * Ours / PyTorch per round (the two measured back to back) and their median, the figure the
 * benchmark reports. Rounds must pair one to one.
 */
export function roundRatios(oursMs: number[], torchMs: number[]): { ratios: number[]; median: number } {
  if (oursMs.length !== torchMs.length || oursMs.length === 0) {
    throw new Error(`roundRatios: expected the same number (>= 1) of rounds for ours and PyTorch, got ${oursMs.length} and ${torchMs.length}`);
  }
  const ratios = oursMs.map((o, i) => o / torchMs[i]);
  return { ratios, median: median(ratios) };
}
