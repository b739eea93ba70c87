// Where the worker cores run, chosen with hwloc: one worker per physical core (never two SMT
// siblings while distinct cores remain), preferring the NUMA node of the given PCI device, and the
// main thread on CPUs no worker uses when there are any.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"

namespace tlsburst::engine {

struct CpuPlace {
  int cpu = -1;        // OS index of the PU
  int core = -1;       // hwloc logical index of its physical core
  int numa_node = -1;  // OS index of its NUMA node (-1: unknown)
};

struct Placement {
  std::vector<CpuPlace> workers;
  std::vector<int> main_cpus;  // where the main (application) lcore may run
  int device_numa_node = -1;   // NUMA node of the device, when one was given and found
  std::vector<std::string> warnings;

  // "--lcores" value for EAL: main lcore 0 on main_cpus, worker lcore i+1 on workers[i].cpu.
  std::string lcores_arg() const;
  // Human-readable report, one line per worker.
  std::string describe() const;
};

// Chooses `num_workers` worker CPUs (0: one per physical core). `device` is a PCI address
// ("0000:03:00.0" or "03:00.0") whose NUMA node is preferred; empty for none.
Result<Placement> choose_placement(uint32_t num_workers, std::string_view device = {});

// Describes given worker CPUs (an explicit -l/--lcores), warning when two share a physical core.
Result<Placement> describe_placement(std::span<const int> worker_cpus);

}  // namespace tlsburst::engine
