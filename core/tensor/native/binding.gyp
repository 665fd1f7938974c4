{
  "targets": [
    {
      "target_name": "lensforge_native",
      "sources": ["src/addon.cc", "src/conv.cc", "src/gemm.cc", "src/elementwise.cc", "src/executor.cc", "src/chunk-pool.cc"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp", "-fexceptions", "-frtti"],
      "cflags": ["-O3", "-fopenmp"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl", "-lgomp", "-lpthread"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
