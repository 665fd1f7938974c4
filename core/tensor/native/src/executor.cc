// See executor.h.
#include "executor.h"

#include <omp.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

namespace lf {

namespace {

struct Executor {
  std::mutex mu;
  std::condition_variable hasWork, done;
  std::deque<std::pair<uint64_t, std::function<void()>>> queue;
  std::atomic<uint64_t> completed{0};
  uint64_t submitted = 0;
  std::string error;
  std::thread worker;
  bool running = false, stop = false;

  void loop() {
    for (;;) {
      std::pair<uint64_t, std::function<void()>> job;
      {
        std::unique_lock<std::mutex> lk(mu);
        hasWork.wait(lk, [&] { return stop || !queue.empty(); });
        if (queue.empty()) return;
        job = std::move(queue.front());
        queue.pop_front();
      }
      std::string err;
      try {
        job.second();
      } catch (const std::exception& e) {
        err = e.what();
      } catch (...) {
        err = "unknown C++ exception";
      }
      {
        std::lock_guard<std::mutex> lk(mu);
        if (!err.empty() && error.empty()) error = err;
        completed.store(job.first, std::memory_order_release);
      }
      done.notify_all();
    }
  }

  void drain() {
    std::unique_lock<std::mutex> lk(mu);
    const uint64_t target = submitted;
    done.wait(lk, [&] { return completed.load() >= target; });
  }
};

Executor& ex() {
  static Executor* e = new Executor();  // never destroyed: the worker may outlive static destructors
  return *e;
}

}  // namespace

bool asyncMode() { return ex().running; }

uint64_t submitTask(std::function<void()> task) {
  Executor& e = ex();
  if (!e.running) {
    task();
    return 0;
  }
  uint64_t seq;
  {
    std::lock_guard<std::mutex> lk(e.mu);
    seq = ++e.submitted;
    e.queue.emplace_back(seq, std::move(task));
  }
  e.hasWork.notify_one();
  return seq;
}

void setAsyncMode(bool on, int threads) {
  Executor& e = ex();
  if (e.running) {
    e.drain();
    {
      std::lock_guard<std::mutex> lk(e.mu);
      e.stop = true;
    }
    e.hasWork.notify_all();
    e.worker.join();
    e.running = false;
    e.stop = false;
  }
  if (on) {
    e.running = true;
    e.worker = std::thread([&e] { e.loop(); });
    runOnExecutor([threads] { omp_set_num_threads(threads); });
  }
}

uint64_t completedSeq() { return ex().completed.load(std::memory_order_acquire); }

uint64_t lastSeq() {
  Executor& e = ex();
  std::lock_guard<std::mutex> lk(e.mu);
  return e.submitted;
}

std::string waitSeq(uint64_t seq) {
  Executor& e = ex();
  std::unique_lock<std::mutex> lk(e.mu);
  if (e.running) e.done.wait(lk, [&] { return e.completed.load() >= seq; });
  std::string err;
  err.swap(e.error);
  return err;
}

void runOnExecutor(std::function<void()> fn) {
  Executor& e = ex();
  if (!e.running) {
    fn();
    return;
  }
  const uint64_t seq = submitTask(std::move(fn));
  const std::string err = waitSeq(seq);
  if (!err.empty()) throw std::runtime_error(err);
}

}  // namespace lf
