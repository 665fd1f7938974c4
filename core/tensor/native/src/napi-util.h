// Small helpers over the Node-API C interface: argument unpacking with errors that name the
// argument, and a guard that turns C++ exceptions into JavaScript errors.
#pragma once
#include <node_api.h>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace lf {

/** Error raised by argument checks; becomes a JavaScript Error with this message. */
struct ArgError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline void check(napi_env env, napi_status s, const char* what) {
  if (s != napi_ok) throw ArgError(std::string("node-api call failed: ") + what);
}

/** Reads up to `max` arguments; throws when fewer than `min` were passed. */
inline std::vector<napi_value> args(napi_env env, napi_callback_info info, size_t min, size_t max, const char* fn) {
  std::vector<napi_value> a(max);
  size_t argc = max;
  check(env, napi_get_cb_info(env, info, &argc, a.data(), nullptr, nullptr), "napi_get_cb_info");
  if (argc < min) throw ArgError(std::string(fn) + ": expected at least " + std::to_string(min) + " arguments, got " + std::to_string(argc));
  a.resize(argc);
  return a;
}

inline bool isNullish(napi_env env, napi_value v) {
  napi_valuetype t;
  check(env, napi_typeof(env, v, &t), "napi_typeof");
  return t == napi_null || t == napi_undefined;
}

template <typename T>
inline T* typed(napi_env env, napi_value v, napi_typedarray_type want, size_t* len, const char* fn, const char* name, bool nullable) {
  if (nullable && isNullish(env, v)) { if (len) *len = 0; return nullptr; }
  bool is = false;
  check(env, napi_is_typedarray(env, v, &is), "napi_is_typedarray");
  if (!is) throw ArgError(std::string(fn) + "." + name + ": expected a typed array");
  napi_typedarray_type t;
  size_t n;
  void* data;
  napi_value ab;
  size_t off;
  check(env, napi_get_typedarray_info(env, v, &t, &n, &data, &ab, &off), "napi_get_typedarray_info");
  if (t != want) throw ArgError(std::string(fn) + "." + name + ": wrong typed-array element type");
  if (len) *len = n;
  return static_cast<T*>(data);
}

/** Float32Array argument (data pointer, already adjusted by byteOffset). */
inline float* f32(napi_env env, napi_value v, size_t* len, const char* fn, const char* name, bool nullable = false) {
  return typed<float>(env, v, napi_float32_array, len, fn, name, nullable);
}

/** Int32Array argument. */
inline int32_t* i32(napi_env env, napi_value v, size_t* len, const char* fn, const char* name) {
  return typed<int32_t>(env, v, napi_int32_array, len, fn, name, false);
}

inline double num(napi_env env, napi_value v, const char* fn, const char* name) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw ArgError(std::string(fn) + "." + name + ": expected a number");
  return d;
}

inline void need(bool ok, const std::string& msg) {
  if (!ok) throw ArgError(msg);
}

inline napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

/** Runs `body`, converting any C++ exception into a thrown JavaScript Error. */
template <typename F>
inline napi_value guard(napi_env env, const char* fn, F body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::string m = std::string("lensforge-native ") + fn + ": " + e.what();
    napi_throw_error(env, nullptr, m.c_str());
  } catch (...) {
    std::string m = std::string("lensforge-native ") + fn + ": unknown C++ exception";
    napi_throw_error(env, nullptr, m.c_str());
  }
  return nullptr;
}

}  // namespace lf
