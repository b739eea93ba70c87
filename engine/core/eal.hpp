// DPDK EAL bring-up for tlsburst programs:
//
//   program [EAL arguments] -- [application arguments]
//
// EAL arguments are DPDK's own (-l/--lcores/-c, -a, --vdev, --no-huge, -m, --in-memory,
// --file-prefix, --log-level, ...), with or without hugepages. When no -l, -c or --lcores is given,
// the worker lcores are placed with hwloc (see placement.hpp): one per physical core, on the NUMA
// node of the device named in EalOptions::device or else of the first -a PCI address, and the main
// lcore on the CPUs left over. The placement in effect is printed (EalOptions::print_placement).
//
// EAL can be initialised once per process. (DPDK 22.11: --no-huge implies legacy memory, which
// --in-memory refuses; without hugepages use --no-huge with a unique --file-prefix instead.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/core/placement.hpp"

namespace tlsburst::engine {

struct EalOptions {
  uint32_t num_workers = 0;   // when placing: worker lcores to create (0: one per physical core)
  std::string device;         // PCI address whose NUMA node the workers should be on
  bool print_placement = true;
};

struct EalSetup {
  std::vector<std::string> eal_args;  // what rte_eal_init was given (program name first)
  std::vector<std::string> app_args;  // after "--", with the program name first
  Placement placement;                // of the worker lcores in effect
  bool placement_chosen = false;      // true: chosen here; false: the caller's -l/-c/--lcores
  std::vector<unsigned> worker_lcores;
};

// argv[0] is the program name.
Result<EalSetup> eal_init(int argc, char** argv, const EalOptions& options = {});
Result<EalSetup> eal_init(const std::vector<std::string>& args, const EalOptions& options = {});

// rte_eal_cleanup(); the engine must be stopped.
void eal_cleanup();

}  // namespace tlsburst::engine
