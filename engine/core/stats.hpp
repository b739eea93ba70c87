// Per-core statistics. Each worker writes only its own WorkerStats (single writer, relaxed atomic
// stores, so a plain `mov` on x86) and folds a whole burst into it at once; any thread may read a
// snapshot at any time (telemetry, printing).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "engine/core/request.hpp"
#include "engine/record/record_status.hpp"

namespace tlsburst::engine {

inline constexpr size_t num_record_statuses = 9;  // RecordStatus::ok .. not_processed
inline constexpr size_t num_burst_buckets = 9;    // 1, 2-3, 4-7, ..., 128-255, 256+

// Bucket of a burst of `n` (> 0) items: floor(log2(n)), capped.
constexpr size_t burst_bucket(uint32_t n) noexcept {
  size_t b = 0;
  while (n > 1 && b + 1 < num_burst_buckets) { n >>= 1; ++b; }
  return b;
}

class Counter {
 public:
  void add(uint64_t x) noexcept { _v.store(_v.load(std::memory_order_relaxed) + x, std::memory_order_relaxed); }
  void set(uint64_t x) noexcept { _v.store(x, std::memory_order_relaxed); }
  void max(uint64_t x) noexcept { if (x > get()) set(x); }
  uint64_t get() const noexcept { return _v.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> _v{0};
};

// Plain copy of the counters of one core (or of a sum over cores).
struct StatsSnapshot {
  uint64_t records_sealed = 0;
  uint64_t bytes_sealed = 0;   // plaintext bytes
  uint64_t records_opened = 0;
  uint64_t bytes_opened = 0;   // plaintext bytes
  std::array<uint64_t, num_record_statuses> record_errors{};  // by RecordStatus (ok unused)
  std::array<uint64_t, num_reject_reasons> rejects{};         // by RejectReason (none unused)
  uint64_t control_messages = 0;
  uint64_t staged_records = 0;  // chained or roomless mbufs copied through the staging buffer
  uint64_t scatter_gather_records = 0;  // chained mbufs processed where they lie (AEAD suites)
  uint64_t bursts = 0;
  std::array<uint64_t, num_burst_buckets> burst_histogram{};
  uint64_t ring_depth_max = 0;   // entries known in the input ring at one dequeue (incl. dequeued;
                                 // a worker rereads the producers' position only when it knows of
                                 // fewer than a burst, so this can lag behind a filling ring)
  uint64_t ring_depth_sum = 0;   // summed over bursts: mean = sum / bursts
  uint64_t ring_depth_last = 0;  // at the latest non-empty dequeue
  uint64_t busy_cycles = 0;      // TSC cycles of polls that found work
  uint64_t idle_cycles = 0;      // TSC cycles of empty polls, pauses and sleeps
  uint64_t record_cycles = 0;    // TSC cycles of those busy ones spent in the record layer (the
                                 // crypto and its framing); busy - record = the engine's own work
  uint64_t sleeps = 0;
  uint64_t cpu_ns = 0;           // the worker thread's CPU time, sampled about once a millisecond
  uint64_t busy_cpu_ns = 0;      // thread CPU time inside non-empty bursts (measure_busy_cpu only)

  uint64_t records() const noexcept { return records_sealed + records_opened; }
  uint64_t errors() const noexcept;
  StatsSnapshot& operator+=(const StatsSnapshot& o) noexcept;
};

struct alignas(64) WorkerStats {
  Counter records_sealed, bytes_sealed, records_opened, bytes_opened;
  std::array<Counter, num_record_statuses> record_errors;
  std::array<Counter, num_reject_reasons> rejects;
  Counter control_messages, staged_records, scatter_gather_records, bursts;
  std::array<Counter, num_burst_buckets> burst_histogram;
  Counter ring_depth_max, ring_depth_sum, ring_depth_last, busy_cycles, idle_cycles, record_cycles, sleeps, cpu_ns,
      busy_cpu_ns;

  StatsSnapshot snapshot() const noexcept;
};

// Multi-line human-readable report; `tsc_hz` turns cycles into seconds (0: print cycles only).
std::string format_stats(const StatsSnapshot& s, uint64_t tsc_hz);

}  // namespace tlsburst::engine
