// Work sharing for the big convolutions in async mode (issue 15).
//
// In async mode the kernels run on one worker thread with OpenMP threads = threads - 1 (one core
// is left to the JavaScript thread). For a convolution-bound step (the U-Net) the JavaScript
// thread is idle most of the time, waiting for results, so one core sat unused. A convolution
// is therefore split along the batch into equal chunks, each run by a single-threaded oneDNN
// primitive, and the chunks are pulled from a shared counter by the calling thread and helper
// threads. Unlike an OpenMP team with a static split, a helper that is descheduled (the
// JavaScript thread or another process holds its core) delays nothing but the one chunk it
// holds: the caller simply takes the remaining chunks. Which thread runs which chunk does not
// change any result (chunk outputs are disjoint, or summed in chunk order), so results stay
// bit-identical run to run at a fixed thread count.
#pragma once
#include <cstdint>
#include <functional>

namespace lf {

/** Number of helper threads (0 = chunks run on the caller only). Joins old helpers first. */
void setChunkHelpers(int n);
/** Current number of helper threads. */
int chunkHelpers();
/** Chunks run by helper threads so far. */
uint64_t helperChunks();
/**
 * Runs fn(0), ..., fn(n - 1) on the calling thread and the helpers, returning when all have
 * finished; rethrows the first exception of any chunk. Call from one thread at a time (the
 * executor); a call from inside a chunk runs its chunks inline.
 */
void runChunks(int n, const std::function<void(int)>& fn);

}  // namespace lf
