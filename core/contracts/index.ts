export type { Sample } from './sample.js';
export { isSimulator, type Simulator } from './simulator.js';
export { makePair, type Augmenter, type Batch } from './augmenter.js';
export type { Encoder, BuiltEncoder } from './encoder.js';
export { expectLossFamily, type Loss, type LossBase, type LossFamily, type SiameseLoss, type GanLoss, type RegressionLoss } from './loss.js';
export type { Metric, MetricValues, EvalContext } from './metric.js';
export { methodResult, type Method, type MethodContext, type MethodResult, type NamedMetric, type RunMetrics, type RunTimings } from './method.js';
export { isExportable, type ExportableMethod, type ExportContext, type NetworkOutput, type NetworkRole, type TrainedNetwork } from './exportable.js';
