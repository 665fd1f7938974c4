// Shared oneDNN engine/stream and the primitive cache key type.
#pragma once
#include <oneapi/dnnl/dnnl.hpp>
#include <cstdint>
#include <string>

namespace lf {

/** The process-wide CPU engine (created on first use). */
dnnl::engine& cpuEngine();
/** The in-order stream used by every primitive (calls are synchronous from JavaScript). */
dnnl::stream& cpuStream();

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
