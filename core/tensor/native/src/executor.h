// Optional asynchronous execution of the native kernels on one worker thread.
//
// In async mode every kernel call from JavaScript is queued and returns at once with a sequence
// number, so that the JavaScript thread (TF.js bookkeeping, ~half of a training step) runs ahead
// while the previous kernels compute on the other core. Tasks run in FIFO order, which makes
// reuse of a buffer by a later kernel safe; the JavaScript side (native-async.ts) waits for a
// task before it reads or writes the task's arrays itself and keeps the arrays alive meanwhile.
// In sync mode (the default) tasks run inline on the calling thread.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

namespace lf {

/** Runs `task` inline (sync mode; returns 0) or queues it (async mode; returns its sequence number >= 1). */
uint64_t submitTask(std::function<void()> task);
/** Switches mode (waits for the queue to drain first). `threads`: OpenMP threads of the worker. */
void setAsyncMode(bool on, int threads);
bool asyncMode();
/** Highest sequence number whose task has finished. */
uint64_t completedSeq();
/** Blocks until task `seq` has finished; returns the first error message of any task since the last call ("" if none). */
std::string waitSeq(uint64_t seq);
/** Sequence number of the last submitted task. */
uint64_t lastSeq();
/** Runs `fn` on the thread that executes tasks (the worker in async mode), waiting for it. */
void runOnExecutor(std::function<void()> fn);

}  // namespace lf
