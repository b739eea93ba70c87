// The engine: a set of worker cores, each polling its input ring, plus the shared control-plane
// bookkeeping (one slot allocator per core). Applications talk to it through Client (records) and
// ControlPlane (sessions); see client.hpp and control_plane.hpp.
//
// Requires an initialised EAL (see eal.hpp). Workers run on EAL worker lcores
// (rte_eal_remote_launch); with WorkerLaunch::manual no thread is started and the caller drives
// each worker with poll() (deterministic tests).
#pragma once

#include <rte_mempool.h>

#include <bitset>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/core/idle_backoff.hpp"
#include "engine/core/session_table.hpp"
#include "engine/core/ring_entry.hpp"
#include "engine/core/slot_allocator.hpp"
#include "engine/core/stats.hpp"
#include "engine/record/record_processor.hpp"

namespace tlsburst::engine {

class Worker;

enum class WorkerLaunch : uint8_t { lcores, manual };

struct EngineConfig {
  std::vector<unsigned> lcores;         // worker lcores; empty: every EAL worker lcore
  uint32_t num_manual_workers = 1;      // WorkerLaunch::manual only
  WorkerLaunch launch = WorkerLaunch::lcores;
  uint32_t sessions_per_core = 1u << 16;
  uint32_t input_ring_len = 4096;
  uint32_t dequeue_burst = 128;       // entries a worker takes from its ring at once, at most 256
  uint32_t num_staging = 8;
  uint32_t segment_pool_len = 2047;     // mbufs per core for extending chained seals; 0: none
  IdleBackoffConfig idle;
  record::RecordProcessorOptions processor;
  bool telemetry = true;                // serve /tlsburst/ telemetry commands for this engine
  bool measure_busy_cpu = false;        // see WorkerConfig::measure_busy_cpu
};

struct CoreInfo {
  uint32_t core = 0;     // index (the handle's core field)
  unsigned lcore = 0;    // EAL lcore id (RTE_MAX_LCORE for manual workers)
  int cpu = -1;          // first CPU of the lcore's cpuset
  int socket = -1;       // NUMA socket of the lcore
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> start(const EngineConfig& config);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  ~Engine();  // stop()

  // Asks every worker to finish what is in its ring and waits for them. Clients must have stopped
  // submitting. Idempotent.
  void stop();

  uint32_t num_cores() const noexcept { return static_cast<uint32_t>(_workers.size()); }
  const CoreInfo& core_info(uint32_t core) const { return _cores[core]; }
  rte_ring* input(uint32_t core) const noexcept;
  // Clients: an index (< max_clients) under which a Client registers one completion ring per core
  // before submitting; released when the client has nothing in flight any more.
  Result<uint32_t> attach_client(const std::vector<rte_ring*>& completion_rings);
  void detach_client(uint32_t client) noexcept;
  SlotAllocator& slots(uint32_t core) noexcept { return *_slots[core]; }
  // The core with the fewest live sessions.
  uint32_t least_loaded_core() const;
  // The concrete ipsec-mb path of the workers (control planes expand keys for it).
  record::ImbArch arch() const noexcept { return _arch; }
  const EngineConfig& config() const noexcept { return _config; }
  static constexpr size_t bytes_per_session() noexcept { return SessionTable::bytes_per_session; }

  // WorkerLaunch::manual: runs one poll of `core`'s worker on the calling thread.
  uint32_t poll(uint32_t core) noexcept;
  // The session table of `core`: only once stopped, in manual mode, or right after a
  // ControlPlane::barrier() on that core while nothing else is sent to it (tests).
  const SessionTable& table(uint32_t core) const noexcept;

  StatsSnapshot stats(uint32_t core) const noexcept;
  StatsSnapshot total_stats() const noexcept;
  static uint64_t tsc_hz() noexcept;
  // Per-core and total statistics plus the placement, as text.
  std::string format_stats() const;
  void print_stats(FILE* out) const;

 private:
  explicit Engine(const EngineConfig& config);

  EngineConfig _config;
  std::vector<std::unique_ptr<Worker>> _workers;
  std::vector<std::unique_ptr<SlotAllocator>> _slots;
  std::vector<CoreInfo> _cores;
  std::vector<rte_mempool*> _segment_pools;
  record::ImbArch _arch = record::ImbArch::auto_detect;
  size_t _num_launched = 0;
  std::mutex _clients_mutex;
  std::bitset<max_clients> _clients_in_use;
  uint64_t _client_serial = 0;  // attachments so far (under _clients_mutex)
};

}  // namespace tlsburst::engine
