#include "engine/core/stats.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace tlsburst::engine {

uint64_t StatsSnapshot::errors() const noexcept {
  uint64_t n = 0;
  for (size_t i = 1; i < record_errors.size(); ++i) n += record_errors[i];
  for (size_t i = 1; i < rejects.size(); ++i) n += rejects[i];
  return n;
}

StatsSnapshot& StatsSnapshot::operator+=(const StatsSnapshot& o) noexcept {
  records_sealed += o.records_sealed;
  bytes_sealed += o.bytes_sealed;
  records_opened += o.records_opened;
  bytes_opened += o.bytes_opened;
  for (size_t i = 0; i < record_errors.size(); ++i) record_errors[i] += o.record_errors[i];
  for (size_t i = 0; i < rejects.size(); ++i) rejects[i] += o.rejects[i];
  control_messages += o.control_messages;
  staged_records += o.staged_records;
  scatter_gather_records += o.scatter_gather_records;
  bursts += o.bursts;
  for (size_t i = 0; i < burst_histogram.size(); ++i) burst_histogram[i] += o.burst_histogram[i];
  if (o.ring_depth_max > ring_depth_max) ring_depth_max = o.ring_depth_max;
  ring_depth_sum += o.ring_depth_sum;
  ring_depth_last += o.ring_depth_last;
  busy_cycles += o.busy_cycles;
  record_cycles += o.record_cycles;
  idle_cycles += o.idle_cycles;
  sleeps += o.sleeps;
  cpu_ns += o.cpu_ns;
  busy_cpu_ns += o.busy_cpu_ns;
  return *this;
}

StatsSnapshot WorkerStats::snapshot() const noexcept {
  StatsSnapshot s;
  s.records_sealed = records_sealed.get();
  s.bytes_sealed = bytes_sealed.get();
  s.records_opened = records_opened.get();
  s.bytes_opened = bytes_opened.get();
  for (size_t i = 0; i < s.record_errors.size(); ++i) s.record_errors[i] = record_errors[i].get();
  for (size_t i = 0; i < s.rejects.size(); ++i) s.rejects[i] = rejects[i].get();
  s.control_messages = control_messages.get();
  s.staged_records = staged_records.get();
  s.scatter_gather_records = scatter_gather_records.get();
  s.bursts = bursts.get();
  for (size_t i = 0; i < s.burst_histogram.size(); ++i) s.burst_histogram[i] = burst_histogram[i].get();
  s.ring_depth_max = ring_depth_max.get();
  s.ring_depth_sum = ring_depth_sum.get();
  s.ring_depth_last = ring_depth_last.get();
  s.busy_cycles = busy_cycles.get();
  s.record_cycles = record_cycles.get();
  s.idle_cycles = idle_cycles.get();
  s.sleeps = sleeps.get();
  s.cpu_ns = cpu_ns.get();
  s.busy_cpu_ns = busy_cpu_ns.get();
  return s;
}

std::string format_stats(const StatsSnapshot& s, uint64_t tsc_hz) {
  std::string out;
  char line[256];
  auto add = [&](const char* fmt, auto... args) {
    std::snprintf(line, sizeof line, fmt, args...);
    out += line;
  };
  add("  sealed   %" PRIu64 " records, %" PRIu64 " bytes\n", s.records_sealed, s.bytes_sealed);
  add("  opened   %" PRIu64 " records, %" PRIu64 " bytes\n", s.records_opened, s.bytes_opened);
  add("  errors  ");
  bool any = false;
  for (size_t i = 1; i < s.record_errors.size(); ++i) {
    if (s.record_errors[i] == 0) continue;
    any = true;
    add(" %s=%" PRIu64, std::string(record::status_name(static_cast<record::RecordStatus>(i))).c_str(),
        s.record_errors[i]);
  }
  for (size_t i = 1; i < s.rejects.size(); ++i) {
    if (s.rejects[i] == 0) continue;
    any = true;
    add(" %s=%" PRIu64, std::string(reject_name(static_cast<RejectReason>(i))).c_str(), s.rejects[i]);
  }
  add("%s\n", any ? "" : " none");
  add("  control  %" PRIu64 " messages; chained records: %" PRIu64 " scatter-gather, %" PRIu64 " staged\n",
      s.control_messages, s.scatter_gather_records, s.staged_records);
  add("  ring     last depth %" PRIu64 ", max %" PRIu64 ", mean %.1f over %" PRIu64 " bursts\n",
      s.ring_depth_last, s.ring_depth_max,
      s.bursts ? static_cast<double>(s.ring_depth_sum) / static_cast<double>(s.bursts) : 0.0, s.bursts);
  add("  bursts  ");
  for (size_t i = 0; i < s.burst_histogram.size(); ++i) {
    const unsigned lo = 1u << i;
    if (i + 1 == s.burst_histogram.size()) {
      add(" %u+:%" PRIu64, lo, s.burst_histogram[i]);
    } else {
      add(" %u-%u:%" PRIu64, lo, 2 * lo - 1, s.burst_histogram[i]);
    }
  }
  add("\n");
  const double total = static_cast<double>(s.busy_cycles + s.idle_cycles);
  add("  cycles   busy %" PRIu64 " idle %" PRIu64 " (busy %.1f%%), %" PRIu64 " sleeps", s.busy_cycles,
      s.idle_cycles, total > 0 ? 100.0 * static_cast<double>(s.busy_cycles) / total : 0.0, s.sleeps);
  if (tsc_hz != 0) {
    add(", busy %.3f s", static_cast<double>(s.busy_cycles) / static_cast<double>(tsc_hz));
  }
  add(", thread cpu %.3f s", static_cast<double>(s.cpu_ns) / 1e9);
  add("\n");
  if (s.records() != 0) {
    // Of the busy cycles, what each record cost in the record layer and around it.
    const double n = static_cast<double>(s.records());
    const double in_record = static_cast<double>(s.record_cycles) / n;
    const double around = static_cast<double>(s.busy_cycles - std::min(s.busy_cycles, s.record_cycles)) / n;
    add("  cycles per record: %.1f in the record layer, %.1f around it\n", in_record, around);
  }
  return out;
}

}  // namespace tlsburst::engine
