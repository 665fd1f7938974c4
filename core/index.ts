/**
 * lensforge public API. `import { ... } from 'lensforge'`.
 */
import 'reflect-metadata';

export { injectable } from 'tsyringe';
/** tsyringe's `@inject`, checked against the parameter's type for lensforge tokens (core/di/typed-inject.ts). */
export { inject, type TypedParameterDecorator, type InjectCheck } from './di/typed-inject.js';
export { z } from 'zod';
/**
 * The TF.js namespace lensforge runs on: plugins use `import { tf } from 'lensforge'` (or
 * `import * as tf from '@tensorflow/tfjs'` resolved to lensforge's copy) and never install their
 * own, so one tfjs (one kernel registry, one backend) serves the core and every plugin.
 */
export * as tf from '@tensorflow/tfjs';

export { LensforgeError, ConfigError, RegistryError, DivergenceError, describeError, type ConfigIssue } from './errors.js';

// registry
export { component, componentInfo, CORE_KINDS, type ComponentInfo, type ComponentKind, type CoreKind, type Constructor, type OptionsOf } from './registry/component.js';
export { maxAllocBytes, allocationProblem, formatBytes, MAX_ALLOC_ENV, type AllocationEstimate, type AllocationContext, type EstimateBytes } from './registry/allocation-limit.js';
export { componentRef, normalizeSpec, type ComponentSpec } from './registry/component-spec.js';
export { definePlugin, type LensforgePlugin, type PluginCommand, type PluginSource } from './registry/plugin.js';
export { checkDependsOn, checkDependencyCycles, type PluginEntry } from './registry/plugin-dependencies.js';
export { Registry, type RegisteredComponent, type ResolvedSpec } from './registry/registry.js';
export { ComponentFactory } from './registry/component-factory.js';
export { ComponentError } from './registry/component-error.js';
export { importPlugins, importPluginModule, loadPluginsInto, loadBuiltinPlugins, compiledPluginFile, resolvePackageEntry } from './registry/plugin-loader.js';
export { closestMatches, editDistance } from './registry/suggest.js';

// DI services
export { TOKENS, type ComponentOptions, type ServiceOf } from './di/tokens.js';
export { token, binding, provide, provideAll, resolveOptional, type Token, type TokenType, type ServiceBinding, type AnyServiceBinding } from './di/token.js';
export { ConsoleLogger, MemoryLogger, type Logger } from './di/logger.js';
export { TerminalProgress, SilentProgress, type ProgressReporter, type ProgressTask } from './di/progress.js';

// contracts
export * from './contracts/index.js';

// tensors
export { Rng, type RngState } from './tensor/rng.js';
export * from './tensor/backend.js';
export { withBackend } from './tensor/with-backend.js';

// io
export { writeFileAtomic, writeJsonAtomic } from './io/atomic-write.js';
export { ioError, withIo, displayPath, errnoText, FileError } from './io/io-error.js';
export { readJsonFile, parseJsonText, JsonFileError } from './io/json-file.js';
export { scanJson, lineColumn } from './io/json-scan.js';
export { encodeNpy, decodeNpy, readNpy, readNpyHeader, writeNpy, type NpyArray, type NpyHeader } from './io/npy.js';
export { encodeFits, readFits, writeFits, type FitsValue } from './io/fits.js';
export { encodeFitsImageHdus, writeFitsImageHdus, readFitsImageHdus, type FitsImageHdu } from './io/fits-image-hdus.js';
export { tanProject, tanDeproject, worldToPixel, pixelToWorld, tanGrid, tanWcsCards, skyCentre, wrapRa, type TanWcs } from './io/tan-wcs.js';
export { encodeFitsTable, writeFitsTable, type FitsTableColumn } from './io/fits-table-writer.js';
export { readLabelTable, columnIndex, numericCell, type CsvTable } from './dataset/label-table.js';
export { RunDir } from './io/run-dir.js';
export { acquireDirLock, withDirLock, DirLockedError, LOCK_FILE, type DirLock, type DirLockOptions, type LockHolder } from './io/dir-lock.js';
export { removeStaleTemps, runDirTempFolders } from './io/stale-temps.js';
export { CheckpointStore, CheckpointError, type Checkpoint, type StoredTensor, type ResumePoint, type SkippedCheckpoint } from './io/checkpoint-store.js';
export { IntegrityError, sha256Hex, digestOf, type FileDigest } from './io/file-digest.js';
export { InvalidFileError } from './io/validated-json.js';
export { modelTensors, loadModelTensors, optimizerTensors, loadOptimizerTensors } from './io/checkpoint-tf.js';
export { encodePngRgb, imageGridPng, writeImageGridPng, viridis, type ImageGridOptions } from './io/png.js';
export { renderVegaLitePng, renderVegaLiteSvg, writeVegaLitePng, writeLinePlot, writeScatterPanels, type LineSeries } from './io/plots.js';

// experiments
export { ExperimentSchema, TrainSchema, OptimizerRefSchema, ScheduleRefSchema, BenchSchema, SimulateSchema, type ExperimentConfig, type TrainConfig, type EarlyStoppingConfig, type BenchConfig, type SimulateConfig } from './experiment/config-schema.js';
export { loadExperiment, validateExperiment, readConfigFile, type LoadedExperiment, type ResolvedComponents } from './experiment/load-config.js';
export { planBench, type BenchPlan, type BenchPlanItem } from './experiment/bench-plan.js';
export { validateConfigFile } from './experiment/validate-config.js';
export { applyOverrides, setPath, parsePath } from './experiment/overrides.js';
export { runExperiment, resolvedConfig, type RunOptions, type RunResult, type Summary } from './experiment/runner.js';
export { runBench, expandVariants, benchTable, benchColumns, meanStd, type BenchRow, type BenchResult, type BenchVariant } from './experiment/bench.js';
export { configDiff, formatConfigDiff, type ConfigChange } from './experiment/config-diff.js';
export { versions, type Versions } from './experiment/versions.js';
export { runTrainingLoop, type TrainingLoopOptions, type TrainingHistory, type StepLosses, type StepInfo, type TrainingHooks, type StatefulPart, type PhaseValidation } from './training/training-loop.js';
export { stackSamples, stackLabels } from './tensor/batch.js';

// datasets on disk
export { simulateDataset, type SimulateOptions } from './dataset/simulate.js';
export { createRegistry, buildSimulator } from './dataset/build-simulator.js';
export { DatasetSimulator } from './dataset/dataset-simulator.js';
export { ImageFilesSimulator, prepareImageReaders } from './dataset/image-files-simulator.js';
export { ImageFileSet, type ImageEntry } from './dataset/image-file-set.js';
export { builtinCorePlugin } from './dataset/builtin-core-plugin.js';
export type { DatasetManifest, ShardInfo } from './dataset/dataset-format.js';
export { readManifest } from './dataset/manifest-schema.js';

// numerics: statistics and Fourier helpers
export * from './stats/index.js';
export * from './signal/index.js';

// testing: reference values of lenstronomy / lenspack / numpy kept in the repository
export { loadReferenceFixture, referenceFixturePath } from './testing/reference-fixture.js';

// execution: the executor kind (bench cells and dataset shard ranges as independent tasks)
export type { Executor, ExecutorRunContext, ExecutorResult } from './execution/executor.js';
export type { ExecTask, TaskFile, TaskPayload, RunTaskPayload, SimulateTaskPayload, TaskStatus, TaskStateName } from './execution/task.js';
export { ExecStateFile, readExecState, execDir, statePath, type ExecState } from './execution/exec-state.js';
export { writeTaskFiles, readTaskFile, taskFilePath, logsDir, workerArgv, cliBin } from './execution/task-files.js';
export { isTaskDone } from './execution/task-done.js';
export { logTail } from './execution/log-tail.js';
export { runTaskFile, runFinalizeFile } from './execution/run-task.js';
export { LocalExecutor, LocalExecutorOptions, defaultJobs } from './execution/local-executor.js';
export { selectExecutor, executorName, IN_PROCESS } from './execution/select-executor.js';
export { executionCorePlugin } from './execution/execution-plugin.js';
export { trainingCorePlugin } from './training/training-plugin.js';
export { OwnedOptimizer, decays, NO_WEIGHT_DECAY, type WeightDecay, type WeightDecayMode, type WeightDecayTarget } from './training/owned-optimizer.js';
export { SgdOptimizer } from './training/sgd-optimizer.js';
export { AdamOptimizer } from './training/adam-optimizer.js';
export { RmspropOptimizer } from './training/rmsprop-optimizer.js';
export type { OptimizerComponent, ScheduleComponent, SchedulePoint } from './training/training-contracts.js';
export type { ScheduledOptimizer } from './training/scheduled-optimizer.js';
export { trainableVariables } from './training/trainable-variables.js';
export { TrainingService, disposeAll, type NetworkDefaults, type OwnOptimizerSpec } from './training/training-service.js';
export { TasksFailedError, type ExecutionRequest } from './execution/execution-request.js';

// models out: the export capability used by `lensforge export`, `embed` and `predict`
export { loadTrainedRun, predictBatch, type TrainedRun, type LoadedNetwork } from './export/load-trained-run.js';
export { exportRun, MODEL_CARD, type ExportResult } from './export/export-run.js';
export { embedRun, type EmbedOptions, type EmbedResult } from './export/embed-run.js';
export { predictRun, regressionMetrics, type PredictOptions, type PredictResult, type TargetMetrics } from './export/predict-run.js';
export { saveLayersModel, layerClassNames } from './export/save-layers-model.js';
export { batchNormalization, type BatchNormalizationArgs } from './nn/batch-normalization.js';
export { inputNormalisation, type InputNormalisation } from './export/input-normalisation.js';
export { plainTfjsOutputs, maxAbsDiff } from './testing/plain-tfjs.js';
