// Shared oneDNN engine/stream and the primitive cache key type.
#pragma once
#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>
#include <cstdint>
#include <string>

namespace lf {

/** The process-wide CPU engine (created on first use). */
dnnl::engine& cpuEngine();
/** The in-order stream used by every primitive (calls are synchronous from JavaScript). */
dnnl::stream& cpuStream();

/**
 * Below this many multiply-adds a primitive runs on one thread: the fork/join of a parallel
 * region costs more than it saves, and a spinning second thread only steals time from the
 * JavaScript thread. oneDNN fixes a primitive's thread count when it is created.
 */
constexpr double kSerialMacs = 2.0e5;

/** Primitives kept per cache (a training run uses a few dozen shapes). */
constexpr size_t kMaxCached = 1024;

/** Sets the OpenMP thread count for the lifetime of the object (primitive creation). */
struct ThreadScope {
  int saved;
  explicit ThreadScope(int n) : saved(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~ThreadScope() { omp_set_num_threads(saved); }
};

/** Threads for a primitive doing `macs` multiply-adds. */
inline int threadsForMacs(double macs) { return macs < kSerialMacs ? 1 : omp_get_max_threads(); }

/** Post-op attribute for a fused activation code (conv.h Activation); alpha for leaky ReLU. */
dnnl::primitive_attr activationAttr(int act, float alpha);

/** Cache key built from integers and a tag. */
inline std::string key(const char* tag, const int32_t* p, size_t n, int extra0 = 0, float extra1 = 0.f) {
  std::string k(tag);
  k.reserve(k.size() + 12 * n + 24);
  for (size_t i = 0; i < n; i++) { k += ','; k += std::to_string(p[i]); }
  k += '|'; k += std::to_string(extra0);
  k += '|'; k += std::to_string(extra1);
  return k;
}

}  // namespace lf
