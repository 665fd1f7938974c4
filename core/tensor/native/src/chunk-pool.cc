// See chunk-pool.h.
#include "chunk-pool.h"

#include <omp.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace lf {

namespace {

/** True on a thread while it runs a chunk: a nested runChunks then runs inline. */
thread_local bool inChunk = false;

struct Pool {
  std::mutex mu;
  std::condition_variable wake, finished;
  std::vector<std::thread> threads;
  uint64_t gen = 0;
  bool quit = false;
  // Current job (valid while !closed).
  const std::function<void(int)>* fn = nullptr;
  int n = 0;
  std::atomic<int> next{0};
  bool closed = true;
  int active = 0;  // helpers working on the current job
  std::string error;
  std::atomic<uint64_t> helperChunks{0};

  /** Takes chunks until none is left. */
  void work(const std::function<void(int)>& f, int count, bool helper) {
    for (int c; (c = next.fetch_add(1, std::memory_order_relaxed)) < count;) {
      if (helper) helperChunks.fetch_add(1, std::memory_order_relaxed);
      try {
        inChunk = true;
        f(c);
        inChunk = false;
      } catch (const std::exception& e) {
        inChunk = false;
        std::lock_guard<std::mutex> lk(mu);
        if (error.empty()) error = e.what();
      } catch (...) {
        inChunk = false;
        std::lock_guard<std::mutex> lk(mu);
        if (error.empty()) error = "unknown C++ exception in a convolution chunk";
      }
    }
  }

  void helperLoop() {
    omp_set_num_threads(1);  // primitives run here are single-threaded; never fork a team
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lk(mu);
    for (;;) {
      wake.wait(lk, [&] { return quit || gen != seen; });
      if (quit) return;
      seen = gen;
      if (closed) continue;  // woke after the caller finished the job alone
      active++;
      const std::function<void(int)>& f = *fn;
      const int count = n;
      lk.unlock();
      work(f, count, true);
      lk.lock();
      if (--active == 0) finished.notify_all();
    }
  }
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: helpers may outlive static destructors
  return *p;
}

}  // namespace

void setChunkHelpers(int n) {
  Pool& p = pool();
  if (n == int(p.threads.size())) return;
  {
    std::lock_guard<std::mutex> lk(p.mu);
    p.quit = true;
  }
  p.wake.notify_all();
  for (auto& t : p.threads) t.join();
  p.threads.clear();
  p.quit = false;
  for (int i = 0; i < n; i++) p.threads.emplace_back([&p] { p.helperLoop(); });
}

int chunkHelpers() { return int(pool().threads.size()); }

uint64_t helperChunks() { return pool().helperChunks.load(); }

void runChunks(int n, const std::function<void(int)>& fn) {
  Pool& p = pool();
  if (n <= 0) return;
  if (p.threads.empty() || n == 1 || inChunk) {
    for (int c = 0; c < n; c++) fn(c);
    return;
  }
  {
    std::lock_guard<std::mutex> lk(p.mu);
    p.fn = &fn;
    p.n = n;
    p.next.store(0, std::memory_order_relaxed);
    p.closed = false;
    p.error.clear();
    p.gen++;
  }
  p.wake.notify_all();
  p.work(fn, n, false);
  std::string err;
  {
    std::unique_lock<std::mutex> lk(p.mu);
    p.closed = true;
    p.finished.wait(lk, [&] { return p.active == 0; });
    p.fn = nullptr;
    err.swap(p.error);
  }
  if (!err.empty()) throw std::runtime_error(err);
}

}  // namespace lf
