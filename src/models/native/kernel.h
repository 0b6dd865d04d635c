// The native kernel's entry table, shared by kernel.cpp (compiled once per ISA) and addon.cpp.
#pragma once
#include <cstdint>

namespace lab {

/** One entry point: runs on the memory at `m` with its int32 arguments (byte offsets and sizes). */
struct Entry {
  void (*fn)(std::uint8_t* m, const int* args);
  int argc;
};

/** Entry points, in KERNEL_FUNCTIONS' order (src/models/wasm/rnn-kernel.ts). */
constexpr int ENTRY_COUNT = 11;

}  // namespace lab

extern "C" const lab::Entry lab_avx2_entries[lab::ENTRY_COUNT];
extern "C" const lab::Entry lab_avx512_entries[lab::ENTRY_COUNT];
