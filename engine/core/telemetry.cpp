#include "engine/core/telemetry.hpp"

#include <rte_telemetry.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "engine/core/engine.hpp"

namespace tlsburst::engine {

namespace {

std::mutex g_mutex;
Engine* g_engine = nullptr;  // guarded by g_mutex

void add_array_u64(rte_tel_data* d, const char* name, const uint64_t* values, size_t n) {
  rte_tel_data* a = rte_tel_data_alloc();
  if (a == nullptr) return;
  rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
  for (size_t i = 0; i < n; ++i) rte_tel_data_add_array_u64(a, values[i]);
  rte_tel_data_add_dict_container(d, name, a, 0);
}

void add_array_int(rte_tel_data* d, const char* name, const int* values, size_t n) {
  rte_tel_data* a = rte_tel_data_alloc();
  if (a == nullptr) return;
  rte_tel_data_start_array(a, RTE_TEL_INT_VAL);
  for (size_t i = 0; i < n; ++i) rte_tel_data_add_array_int(a, values[i]);
  rte_tel_data_add_dict_container(d, name, a, 0);
}

int cmd_cores(const char*, const char*, rte_tel_data* d) {
  std::lock_guard lock(g_mutex);
  if (g_engine == nullptr) return -1;
  const uint32_t n = g_engine->num_cores();
  std::vector<int> lcores(n), cpus(n), sockets(n);
  for (uint32_t c = 0; c < n; ++c) {
    const CoreInfo& info = g_engine->core_info(c);
    lcores[c] = static_cast<int>(info.lcore);
    cpus[c] = info.cpu;
    sockets[c] = info.socket;
  }
  rte_tel_data_start_dict(d);
  rte_tel_data_add_dict_u64(d, "num_cores", n);
  add_array_int(d, "lcores", lcores.data(), n);
  add_array_int(d, "cpus", cpus.data(), n);
  add_array_int(d, "sockets", sockets.data(), n);
  rte_tel_data_add_dict_string(d, "imb_arch", std::string(record::arch_name(g_engine->arch())).c_str());
  return 0;
}

int cmd_sessions(const char*, const char*, rte_tel_data* d) {
  std::lock_guard lock(g_mutex);
  if (g_engine == nullptr) return -1;
  const uint32_t n = g_engine->num_cores();
  std::vector<uint64_t> live(n);
  for (uint32_t c = 0; c < n; ++c) live[c] = g_engine->slots(c).num_live();
  rte_tel_data_start_dict(d);
  rte_tel_data_add_dict_u64(d, "sessions_per_core", g_engine->config().sessions_per_core);
  rte_tel_data_add_dict_u64(d, "bytes_per_session", Engine::bytes_per_session());
  add_array_u64(d, "live", live.data(), n);
  return 0;
}

int cmd_stats(const char*, const char* params, rte_tel_data* d) {
  std::lock_guard lock(g_mutex);
  if (g_engine == nullptr) return -1;
  StatsSnapshot s;
  if (params != nullptr && *params != '\0') {
    char* end = nullptr;
    const unsigned long core = std::strtoul(params, &end, 10);
    if (end == params || *end != '\0' || core >= g_engine->num_cores()) return -1;
    s = g_engine->stats(static_cast<uint32_t>(core));
  } else {
    s = g_engine->total_stats();
  }
  rte_tel_data_start_dict(d);
  rte_tel_data_add_dict_u64(d, "records_sealed", s.records_sealed);
  rte_tel_data_add_dict_u64(d, "bytes_sealed", s.bytes_sealed);
  rte_tel_data_add_dict_u64(d, "records_opened", s.records_opened);
  rte_tel_data_add_dict_u64(d, "bytes_opened", s.bytes_opened);
  for (size_t i = 1; i < s.record_errors.size(); ++i) {
    const std::string name =
        "error_" + std::string(record::status_name(static_cast<record::RecordStatus>(i)));
    rte_tel_data_add_dict_u64(d, name.c_str(), s.record_errors[i]);
  }
  for (size_t i = 1; i < s.rejects.size(); ++i) {
    const std::string name = "reject_" + std::string(reject_name(static_cast<RejectReason>(i)));
    rte_tel_data_add_dict_u64(d, name.c_str(), s.rejects[i]);
  }
  rte_tel_data_add_dict_u64(d, "control_messages", s.control_messages);
  rte_tel_data_add_dict_u64(d, "staged_records", s.staged_records);
  rte_tel_data_add_dict_u64(d, "scatter_gather_records", s.scatter_gather_records);
  rte_tel_data_add_dict_u64(d, "bursts", s.bursts);
  add_array_u64(d, "burst_histogram_log2", s.burst_histogram.data(), s.burst_histogram.size());
  rte_tel_data_add_dict_u64(d, "ring_depth_last", s.ring_depth_last);
  rte_tel_data_add_dict_u64(d, "ring_depth_max", s.ring_depth_max);
  rte_tel_data_add_dict_u64(d, "ring_depth_sum", s.ring_depth_sum);
  rte_tel_data_add_dict_u64(d, "busy_cycles", s.busy_cycles);
  rte_tel_data_add_dict_u64(d, "record_cycles", s.record_cycles);
  rte_tel_data_add_dict_u64(d, "idle_cycles", s.idle_cycles);
  rte_tel_data_add_dict_u64(d, "sleeps", s.sleeps);
  rte_tel_data_add_dict_u64(d, "cpu_ns", s.cpu_ns);
  rte_tel_data_add_dict_u64(d, "busy_cpu_ns", s.busy_cpu_ns);
  rte_tel_data_add_dict_u64(d, "tsc_hz", Engine::tsc_hz());
  return 0;
}

void register_commands() {
  rte_telemetry_register_cmd("/tlsburst/cores", cmd_cores,
                             "Worker cores of the tlsburst engine: lcore, cpu, socket. No parameters");
  rte_telemetry_register_cmd("/tlsburst/stats", cmd_stats,
                             "tlsburst engine counters. Parameter: core index (none: all cores summed)");
  rte_telemetry_register_cmd("/tlsburst/sessions", cmd_sessions,
                             "tlsburst session capacity, live sessions per core, bytes per session");
}

}  // namespace

void register_telemetry(Engine* engine) {
  static std::once_flag once;
  std::call_once(once, register_commands);
  std::lock_guard lock(g_mutex);
  g_engine = engine;
}

void unregister_telemetry(Engine* engine) {
  std::lock_guard lock(g_mutex);
  if (g_engine == engine) g_engine = nullptr;
}

}  // namespace tlsburst::engine
