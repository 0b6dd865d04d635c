// Node-API addon around the native kernel (kernel.cpp): picks the AVX-512 or AVX2 build by CPUID and
// runs entry points on the glue's shared WebAssembly.Memory, split into parts over a pool of
// std::threads (the calling thread takes parts too). Compiled without ISA flags, so loading it on a
// CPU without AVX2 only makes isa() answer null; the glue then keeps the wasm kernel.
//
// JS side (src/models/native/native-addon.ts):
//   isa() → "avx512" | "avx2" | null
//   open(memory: Uint8Array, args: Int32Array, threads, isa) → handle
//   remap(handle, memory)            the memory's base address again (after a grow)
//   call(handle, fn)                 entry fn on this thread with args[0..argc)
//   run(handle, fn, parts)           entry fn for part = 0..parts−1 (args[0..argc−2) then part, parts)
//   close(handle)                    stops the pool's threads
#include <node_api.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "kernel.h"

namespace {

constexpr int MAX_ARGS = 32;

struct Job {
  const lab::Entry* entry = nullptr;
  int args[MAX_ARGS] = {};
  int parts = 0;
};

// One kernel: its memory, its argument block and its pool of threads − 1 workers.
class Kernel {
 public:
  Kernel(std::uint8_t* mem, const int* args, int threads, const lab::Entry* table) : mem_(mem), args_(args), table_(table) {
    for (int i = 1; i < threads; i++) workers_.emplace_back([this] { loop(); });
  }
  ~Kernel() { stop(); }

  void remap(std::uint8_t* mem) { mem_ = mem; }

  void call(int fn) { table_[fn].fn(mem_, args_); }

  /** Whether entry fn takes a part and a part count (its last two arguments), so run may split it. */
  bool partitioned(int fn) const { return table_[fn].argc >= 2; }

  void run(int fn, int parts) {
    const lab::Entry* e = &table_[fn];
    Job job;
    job.entry = e;
    std::memcpy(job.args, args_, sizeof(int) * (e->argc - 2));
    job.parts = parts;
    if (workers_.empty() || parts <= 1) {
      for (int p = 0; p < parts; p++) runPart(job, p);
      return;
    }
    std::uint64_t id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      job_ = job;
      id = ++jobId_;
      done_.store(0, std::memory_order_relaxed);
      claim_.store(id << 32, std::memory_order_release);
    }
    cv_.notify_all();
    work(job, id);
    // Parts are balanced, so the last one is usually a moment away: spin, then yield the core.
    for (int i = 0; done_.load(std::memory_order_acquire) < parts; i++) {
      if (i < 4000) __builtin_ia32_pause();
      else std::this_thread::yield();
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
  }

 private:
  void runPart(const Job& job, int p) {
    int a[MAX_ARGS];
    const int n = job.entry->argc;
    std::memcpy(a, job.args, sizeof(int) * (n - 2));
    a[n - 2] = p;
    a[n - 1] = job.parts;
    job.entry->fn(mem_, a);
  }

  // Claims and runs parts of job `id` until none is left. The claim word holds the job's id beside
  // the next part, so a thread late from an earlier job can never take a part of the next one.
  void work(const Job& job, std::uint64_t id) {
    for (;;) {
      std::uint64_t w = claim_.load(std::memory_order_acquire);
      if ((w >> 32) != id || static_cast<int>(w & 0xffffffffu) >= job.parts) return;
      if (!claim_.compare_exchange_weak(w, w + 1, std::memory_order_acq_rel)) continue;
      runPart(job, static_cast<int>(w & 0xffffffffu));
      done_.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void loop() {
    std::uint64_t seen = 0;
    for (;;) {
      // Spin a little for the next job (the glue issues them back to back), then sleep.
      for (int i = 0; i < 20000 && (claim_.load(std::memory_order_acquire) >> 32) == seen; i++) __builtin_ia32_pause();
      Job job;
      std::uint64_t id;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return jobId_ != seen || stopping_; });
        if (stopping_) return;
        job = job_;
        id = jobId_;
      }
      seen = id;
      work(job, id);
    }
  }

  std::uint8_t* mem_;
  const int* args_;
  const lab::Entry* table_;
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  Job job_;
  std::uint64_t jobId_ = 0;
  std::atomic<std::uint64_t> claim_{0};
  std::atomic<int> done_{0};
  bool stopping_ = false;
};

const char* bestIsa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
  return nullptr;
}

napi_value throwError(napi_env env, const char* msg) {
  napi_throw_error(env, nullptr, msg);
  return nullptr;
}

bool bytesOf(napi_env env, napi_value v, void** data, size_t* length) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  napi_value ab;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, length, data, &ab, &offset) != napi_ok) return false;
  return *data != nullptr;
}

Kernel* kernelOf(napi_env env, napi_value v) {
  void* p = nullptr;
  if (napi_get_value_external(env, v, &p) != napi_ok) return nullptr;
  return static_cast<Kernel*>(p);
}

napi_value Isa(napi_env env, napi_callback_info) {
  napi_value out;
  const char* isa = bestIsa();
  if (isa) napi_create_string_utf8(env, isa, NAPI_AUTO_LENGTH, &out);
  else napi_get_null(env, &out);
  return out;
}

napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < 4) return throwError(env, "open(memory, args, threads, isa) takes 4 arguments");
  void* mem;
  size_t memLen;
  void* args;
  size_t argsLen;
  if (!bytesOf(env, argv[0], &mem, &memLen)) return throwError(env, "open: memory must be a typed array over the kernel's memory");
  if (!bytesOf(env, argv[1], &args, &argsLen) || argsLen < MAX_ARGS) return throwError(env, "open: args must be an Int32Array of at least 32 elements");
  int threads = 1;
  napi_get_value_int32(env, argv[2], &threads);
  char isa[16] = {0};
  size_t isaLen = 0;
  napi_get_value_string_utf8(env, argv[3], isa, sizeof isa, &isaLen);
  const lab::Entry* table = nullptr;
  if (std::strcmp(isa, "avx512") == 0 && __builtin_cpu_supports("avx512f")) table = lab_avx512_entries;
  else if (std::strcmp(isa, "avx2") == 0 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) table = lab_avx2_entries;
  if (!table) return throwError(env, "open: this CPU does not run the requested instruction set");
  if (threads < 1) threads = 1;
  Kernel* k = new Kernel(static_cast<std::uint8_t*>(mem), static_cast<const int*>(args), threads, table);
  napi_value out;
  napi_create_external(
      env, k, [](napi_env, void* data, void*) { delete static_cast<Kernel*>(data); }, nullptr, &out);
  return out;
}

// The callback's N arguments and the kernel handle in the first; null when the count or the handle is wrong.
template <size_t N>
Kernel* handleArgs(napi_env env, napi_callback_info info, napi_value (&argv)[N]) {
  size_t argc = N;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  return argc == N ? kernelOf(env, argv[0]) : nullptr;
}

// The entry point numbered by v, or -1 when v is not one.
int entryOf(napi_env env, napi_value v) {
  int fn = -1;
  napi_get_value_int32(env, v, &fn);
  return fn >= 0 && fn < lab::ENTRY_COUNT ? fn : -1;
}

napi_value Remap(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  Kernel* k = handleArgs(env, info, argv);
  void* mem;
  size_t len;
  if (!k || !bytesOf(env, argv[1], &mem, &len)) return throwError(env, "remap(handle, memory): bad arguments");
  k->remap(static_cast<std::uint8_t*>(mem));
  return nullptr;
}

napi_value Call(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  Kernel* k = handleArgs(env, info, argv);
  const int fn = k ? entryOf(env, argv[1]) : -1;
  if (fn < 0) return throwError(env, "call(handle, fn): bad arguments");
  k->call(fn);
  return nullptr;
}

napi_value Run(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  Kernel* k = handleArgs(env, info, argv);
  const int fn = k ? entryOf(env, argv[1]) : -1;
  int parts = 0;
  if (fn >= 0) napi_get_value_int32(env, argv[2], &parts);
  if (fn < 0 || parts < 1 || !k->partitioned(fn)) return throwError(env, "run(handle, fn, parts): bad arguments");
  k->run(fn, parts);
  return nullptr;
}

napi_value Close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Kernel* k = handleArgs(env, info, argv);
  if (!k) return throwError(env, "close(handle): bad arguments");
  k->stop();
  return nullptr;
}

}  // namespace

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  const napi_property_descriptor props[] = {
      {"isa", nullptr, Isa, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"remap", nullptr, Remap, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"call", nullptr, Call, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"run", nullptr, Run, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
