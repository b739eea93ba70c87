// One worker core: the poll loop and everything it owns -- its ipsec-mb manager (inside its
// RecordProcessor), its session table, its input ring, its staging buffers for chained mbufs, the
// pool it extends chained records from, and its statistics. Other threads reach it only through
// the input ring (requests and control messages in) and the completion/reply rings (out).
#pragma once

#include <rte_mbuf.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

#include "engine/common/result.hpp"
#include "engine/core/control_message.hpp"
#include "engine/core/idle_backoff.hpp"
#include "engine/core/mbuf_record.hpp"
#include "engine/core/ring.hpp"
#include "engine/core/ring_entry.hpp"
#include "engine/core/session_table.hpp"
#include "engine/core/stats.hpp"
#include "engine/record/record_processor.hpp"

namespace tlsburst::engine {

struct WorkerConfig {
  uint32_t core = 0;                  // index of this worker in the engine (the handle's core field)
  uint32_t num_sessions = 1u << 16;   // session table slots
  uint32_t input_ring_len = 4096;
  uint32_t dequeue_burst = 128;       // at most 256
  uint32_t num_staging = 8;           // staged (chained) records per record-layer call
  int numa_node = -1;
  IdleBackoffConfig idle;
  record::RecordProcessorOptions processor;
  rte_mempool* segment_pool = nullptr;  // extends staged seals; may be null (then they fail)
  // Benchmarks on shared machines: read the thread's CPU clock around every non-empty burst and
  // count it in busy_cpu_ns (two system calls per burst; off by default).
  bool measure_busy_cpu = false;
};

class alignas(64) Worker {
 public:
  static Result<std::unique_ptr<Worker>> create(const WorkerConfig& config);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker();

  // Dequeues one burst from the input ring and handles it completely (records processed and
  // completed, control messages applied and returned). Returns the number of entries dequeued.
  uint32_t poll_once() noexcept;

  // The poll loop, run on the worker's lcore: waits for start(), then polls with idle back-off
  // until stop is requested and the input ring is empty.
  void run() noexcept;
  static int run_entry(void* worker) noexcept;  // rte_eal_remote_launch entry

  // Hands the worker over to the thread that will call run() (release/acquire on a flag).
  void start() noexcept { _go.store(true, std::memory_order_release); }
  void request_stop() noexcept { _stop.store(true, std::memory_order_release); }
  // True once run() returned; everything it wrote is then visible to the caller.
  bool finished() const noexcept { return _finished.load(std::memory_order_acquire); }

  // The completion ring of client `client` on this core (nullptr: none). Set by the client's thread
  // before it submits anything; the input ring's release/acquire makes it visible to the worker
  // before that client's first record.
  // `serial` tells this attachment from any earlier one under the same index (never 0).
  void register_client(uint32_t client, rte_ring* completions, uint64_t serial) noexcept {
    _client_rings[client].store(completions, std::memory_order_relaxed);
    _client_serials[client].store(serial, std::memory_order_relaxed);
  }

  uint32_t core() const noexcept { return _config.core; }
  rte_ring* input() const noexcept { return _input.get(); }
  const WorkerStats& stats() const noexcept { return _stats; }
  record::ImbArch arch() const noexcept { return _processor.arch(); }
  // The table: only while the worker is not running, or after a barrier (tests).
  const SessionTable& table() const noexcept { return _table; }
  const WorkerConfig& config() const noexcept { return _config; }

 private:
  Worker(const WorkerConfig& config, record::RecordProcessor processor, SessionTable table, Ring input,
         std::unique_ptr<uint8_t[]> staging);
  void prefetch_completion_slot(uint32_t p) const noexcept;
  void begin_run(uint32_t client, uint32_t p) noexcept;
  void set_in_place(const InputEntry& e, SessionTable::Slot& slot, bool seal, uint16_t padding_len,
                    CompletionEntry& c, record::RecordOp& op) noexcept;
  bool add_common_record(const InputEntry& e, uint32_t p, uint32_t o) noexcept;
  void add_record(const InputEntry& e) noexcept;
  void flush() noexcept;
  void apply(ControlMessage* msg) noexcept;

  static constexpr uint32_t max_burst = 256;  // entries per dequeue (WorkerConfig::dequeue_burst)

  WorkerConfig _config;
  record::RecordProcessor _processor;
  SessionTable _table;
  Ring _input;
  InputConsumer _consumer;
  std::unique_ptr<uint8_t[]> _staging;  // num_staging buffers of staging_len bytes
  // Per staging slot: the segment list of a scatter-gather record using it, and how many segments
  // were appended to its record's chain for the output.
  std::unique_ptr<record::RecordSegment[]> _segment_lists;  // num_staging x max_record_segments
  std::unique_ptr<uint8_t[]> _appended;
  uint32_t _num_scatter_gather = 0;

  // The batch being assembled: its requests' completions in ring order (one per request, filled in
  // as it goes), the record-layer ops of those that reached it, and the runs of consecutive
  // requests that complete on the same ring.
  struct Run {
    rte_ring* ring;
    uint32_t begin;       // its first request (it ends where the next run begins)
    uint32_t client;
  };
  static constexpr uint32_t no_client = max_clients;
  uint32_t _num_pending = 0;
  uint32_t _num_ops = 0;
  uint32_t _num_staged = 0;
  uint32_t _num_runs = 0;
  // The last run, for the common path: its client (no_client: no run yet in this batch), and where
  // request p's completion will go: slot (p + _run_slot_delta) & _run_mask of _run_slots.
  uint32_t _run_client = no_client;
  uint32_t _run_slot_delta = 0;
  uint32_t _run_mask = 0;
  const uint8_t* _run_slots = nullptr;
  std::array<CompletionEntry, max_burst> _completions;
  std::array<record::RecordOp, max_burst> _ops;
  std::array<Run, max_burst> _runs;

  alignas(64) std::array<std::atomic<rte_ring*>, max_clients> _client_rings{};
  std::array<std::atomic<uint64_t>, max_clients> _client_serials{};
  // This worker's producer position in each client's completion ring (it is their one producer),
  // kept here rather than read back from the ring (see completion_enqueue_credited()). `serial`:
  // the attachment it belongs to (0: none yet).
  struct CompletionCursor {
    uint64_t serial = 0;
    uint32_t head = 0;
  };
  std::array<CompletionCursor, max_clients> _cursors{};

  uint64_t _cpu_clock_overhead_ns = 0;  // measure_busy_cpu: cost of two back-to-back clock reads

  alignas(64) WorkerStats _stats;
  alignas(64) std::atomic<bool> _go{false};
  std::atomic<bool> _stop{false};
  std::atomic<bool> _finished{false};
};

}  // namespace tlsburst::engine
