import { z } from '../../../core/index.js';

/** Options shared by the mass-mapping metrics. */
export const MapMetricOptions = z.strictObject({
  estimators: z.array(z.string().min(1)).default([]).describe('estimators to score (e.g. gan, ks); empty = all the method produced'),
});
export type MapMetricOptionsT = z.output<typeof MapMetricOptions>;
