// The timed part of one record-benchmark case, shared by the AEAD runner (run_case.cpp) and the
// CBC one (record_bench_cbc.cpp): bursts of run() cycling over the ring -- for open, the ring's
// ciphertext restored, untimed, after each lap -- then the count of records that failed, the
// untimed verify() and the counters.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "bench/record/bench_case.hpp"

namespace tlsburst::bench {

// `verify()` returns an empty string or what is wrong.
template <class ContenderT, class RingT, class VerifyFn>
void run_timed(benchmark::State& state, const BenchCase& c, ContenderT& contender, RingT& ring, VerifyFn&& verify) {
  const bool open = c.direction == Direction::open;
  const uint32_t num_bursts = ring.num_slots() / c.burst;
  uint32_t next = 0;
  uint64_t num_failed = 0;
  for (auto _ : state) {
    if (next == num_bursts) {
      next = 0;
      if (open) {
        state.PauseTiming();
        ring.restore();
        contender.rewind();
        state.ResumeTiming();
      } else {
        contender.rewind();
      }
    }
    num_failed += c.burst - contender.run(next * c.burst, c.burst);
    ++next;
  }

  if (num_failed != 0) {
    const std::string msg = std::to_string(num_failed) + " records failed in the timed loop";
    state.SkipWithError(msg.c_str());
    return;
  }
  if (const std::string err = verify(); !err.empty()) {
    state.SkipWithError(err.c_str());
    return;
  }

  const int64_t num_records = static_cast<int64_t>(state.iterations()) * c.burst;
  const int64_t num_bytes = num_records * c.plaintext_len;
  state.SetItemsProcessed(num_records);
  state.SetBytesProcessed(num_bytes);
  state.counters["records_per_second"] = benchmark::Counter(static_cast<double>(num_records), benchmark::Counter::kIsRate);
  state.counters["Gbps"] = benchmark::Counter(static_cast<double>(num_bytes) * 8e-9, benchmark::Counter::kIsRate);
}

}  // namespace tlsburst::bench
