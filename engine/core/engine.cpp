#include "engine/core/engine.hpp"

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <atomic>
#include <cstdio>

#include "engine/core/telemetry.hpp"
#include "engine/core/worker.hpp"

namespace tlsburst::engine {

namespace {

int first_cpu(unsigned lcore) {
  const rte_cpuset_t set = rte_lcore_cpuset(lcore);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) return cpu;
  }
  return -1;
}

// Pool names must be unique per process; engines may be started and stopped repeatedly.
std::atomic<uint32_t> g_engine_serial{0};

}  // namespace

Result<std::unique_ptr<Engine>> Engine::start(const EngineConfig& config) {
  std::unique_ptr<Engine> engine(new Engine(config));
  std::vector<CoreInfo> cores;
  if (config.launch == WorkerLaunch::lcores) {
    std::vector<unsigned> lcores = config.lcores;
    if (lcores.empty()) {
      unsigned lcore;
      RTE_LCORE_FOREACH_WORKER(lcore) { lcores.push_back(lcore); }
    }
    if (lcores.empty()) {
      return make_error(Alert::internal_error,
                        "engine: no EAL worker lcore (give EAL at least two lcores, e.g. -l 0,1)");
    }
    for (unsigned lcore : lcores) {
      if (lcore >= RTE_MAX_LCORE || !rte_lcore_is_enabled(lcore) || lcore == rte_get_main_lcore()) {
        return make_error(Alert::internal_error, "engine: lcore " + std::to_string(lcore) +
                                                     " is not an enabled EAL worker lcore");
      }
      if (rte_eal_get_lcore_state(lcore) != WAIT) {
        return make_error(Alert::internal_error, "engine: lcore " + std::to_string(lcore) + " is busy");
      }
      const uint32_t core = static_cast<uint32_t>(cores.size());
      cores.push_back(CoreInfo{core, lcore, first_cpu(lcore), static_cast<int>(rte_lcore_to_socket_id(lcore))});
    }
  } else {
    for (uint32_t core = 0; core < config.num_manual_workers; ++core) {
      cores.push_back(CoreInfo{core, RTE_MAX_LCORE, -1, -1});
    }
  }
  if (cores.empty() || cores.size() > max_cores) {
    return make_error(Alert::internal_error, "engine: need 1 to 256 worker cores");
  }

  const uint32_t serial = g_engine_serial.fetch_add(1);
  for (const CoreInfo& info : cores) {
    WorkerConfig wc;
    wc.core = info.core;
    wc.num_sessions = config.sessions_per_core;
    wc.input_ring_len = config.input_ring_len;
    wc.dequeue_burst = config.dequeue_burst;
    wc.num_staging = config.num_staging;
    wc.numa_node = info.socket;
    wc.idle = config.idle;
    wc.processor = config.processor;
    wc.measure_busy_cpu = config.measure_busy_cpu;
    if (config.segment_pool_len != 0) {
      const std::string name = "tlsb_seg_" + std::to_string(serial) + "_" + std::to_string(info.core);
      rte_mempool* pool = rte_pktmbuf_pool_create(name.c_str(), config.segment_pool_len, 0, 0,
                                                  RTE_MBUF_DEFAULT_BUF_SIZE,
                                                  info.socket < 0 ? SOCKET_ID_ANY : info.socket);
      if (pool == nullptr) {
        return make_error(Alert::internal_error, "engine: cannot create segment pool " + name + ": " +
                                                     rte_strerror(rte_errno));
      }
      engine->_segment_pools.push_back(pool);
      wc.segment_pool = pool;
    }
    auto worker = Worker::create(wc);
    if (!worker) return worker.error();
    if (engine->_workers.empty()) {
      engine->_arch = worker.value()->arch();
    } else if (worker.value()->arch() != engine->_arch) {
      return make_error(Alert::internal_error, "engine: workers ended up on different ipsec-mb paths");
    }
    engine->_workers.push_back(std::move(worker.value()));
    engine->_slots.push_back(std::make_unique<SlotAllocator>(info.core, config.sessions_per_core));
  }
  engine->_cores = std::move(cores);

  for (auto& w : engine->_workers) w->start();
  if (config.launch == WorkerLaunch::lcores) {
    for (size_t i = 0; i < engine->_workers.size(); ++i) {
      const int rc = rte_eal_remote_launch(&Worker::run_entry, engine->_workers[i].get(),
                                           engine->_cores[i].lcore);
      if (rc != 0) {
        engine->stop();  // the ones already launched
        return make_error(Alert::internal_error, "engine: cannot launch worker on lcore " +
                                                     std::to_string(engine->_cores[i].lcore));
      }
      engine->_num_launched = i + 1;
    }
  }
  if (config.telemetry) register_telemetry(engine.get());
  return engine;
}

Engine::Engine(const EngineConfig& config) : _config(config) {}

Engine::~Engine() {
  stop();
  _workers.clear();
  for (rte_mempool* pool : _segment_pools) rte_mempool_free(pool);
}

void Engine::stop() {
  if (_config.telemetry) unregister_telemetry(this);
  if (_num_launched == 0) return;
  for (size_t i = 0; i < _num_launched; ++i) _workers[i]->request_stop();
  for (size_t i = 0; i < _num_launched; ++i) {
    rte_eal_wait_lcore(_cores[i].lcore);
    while (!_workers[i]->finished()) rte_pause();  // also makes the worker's writes visible here
  }
  _num_launched = 0;
}

rte_ring* Engine::input(uint32_t core) const noexcept { return _workers[core]->input(); }

Result<uint32_t> Engine::attach_client(const std::vector<rte_ring*>& completion_rings) {
  if (completion_rings.size() != _workers.size()) {
    return make_error(Alert::internal_error, "engine: a client needs one completion ring per core");
  }
  std::lock_guard<std::mutex> lock(_clients_mutex);
  for (uint32_t k = 0; k < max_clients; ++k) {
    if (_clients_in_use[k]) continue;
    _clients_in_use[k] = true;
    const uint64_t serial = ++_client_serial;
    for (size_t c = 0; c < _workers.size(); ++c) _workers[c]->register_client(k, completion_rings[c], serial);
    return k;
  }
  return make_error(Alert::internal_error, "engine: " + std::to_string(max_clients) + " clients exist already");
}

void Engine::detach_client(uint32_t client) noexcept {
  std::lock_guard<std::mutex> lock(_clients_mutex);
  for (auto& w : _workers) w->register_client(client, nullptr, 0);
  _clients_in_use[client] = false;
}

uint32_t Engine::least_loaded_core() const {
  uint32_t best = 0;
  uint32_t best_live = UINT32_MAX;
  for (uint32_t c = 0; c < num_cores(); ++c) {
    const uint32_t live = _slots[c]->num_live();
    if (live < best_live) {
      best = c;
      best_live = live;
    }
  }
  return best;
}

uint32_t Engine::poll(uint32_t core) noexcept { return _workers[core]->poll_once(); }

const SessionTable& Engine::table(uint32_t core) const noexcept { return _workers[core]->table(); }

StatsSnapshot Engine::stats(uint32_t core) const noexcept { return _workers[core]->stats().snapshot(); }

StatsSnapshot Engine::total_stats() const noexcept {
  StatsSnapshot total;
  for (const auto& w : _workers) total += w->stats().snapshot();
  return total;
}

uint64_t Engine::tsc_hz() noexcept { return rte_get_tsc_hz(); }

std::string Engine::format_stats() const {
  std::string out;
  char line[256];
  for (uint32_t c = 0; c < num_cores(); ++c) {
    const CoreInfo& info = _cores[c];
    std::snprintf(line, sizeof line, "core %u (lcore %u, cpu %d, socket %d): %u live sessions\n", c,
                  info.lcore, info.cpu, info.socket, _slots[c]->num_live());
    out += line;
    out += tlsburst::engine::format_stats(stats(c), tsc_hz());
  }
  if (num_cores() > 1) {
    out += "total:\n";
    out += tlsburst::engine::format_stats(total_stats(), tsc_hz());
  }
  return out;
}

void Engine::print_stats(FILE* out) const {
  const std::string s = format_stats();
  std::fputs(s.c_str(), out);
}

}  // namespace tlsburst::engine
