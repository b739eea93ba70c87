#include "engine/core/placement.hpp"

#include <hwloc.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>

namespace tlsburst::engine {

namespace {

class Topology {
 public:
  static Result<Topology> load() {
    hwloc_topology_t t;
    if (hwloc_topology_init(&t) != 0) return make_error(Alert::internal_error, "hwloc: init failed");
    if (hwloc_topology_load(t) != 0) {
      hwloc_topology_destroy(t);
      return make_error(Alert::internal_error, "hwloc: cannot load the topology");
    }
    return Topology(t);
  }
  Topology(Topology&& o) noexcept : _t(o._t) { o._t = nullptr; }
  Topology& operator=(Topology&&) = delete;
  ~Topology() {
    if (_t != nullptr) hwloc_topology_destroy(_t);
  }
  hwloc_topology_t get() const { return _t; }

 private:
  explicit Topology(hwloc_topology_t t) : _t(t) {}
  hwloc_topology_t _t;
};

int numa_of(hwloc_obj_t obj) {
  if (obj == nullptr || obj->nodeset == nullptr || hwloc_bitmap_iszero(obj->nodeset)) return -1;
  return hwloc_bitmap_first(obj->nodeset);
}

CpuPlace place_of_cpu(const Topology& topo, int cpu) {
  CpuPlace p;
  p.cpu = cpu;
  hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo.get(), static_cast<unsigned>(cpu));
  if (pu == nullptr) return p;
  hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(topo.get(), HWLOC_OBJ_CORE, pu);
  p.core = core != nullptr ? static_cast<int>(core->logical_index) : static_cast<int>(pu->logical_index);
  p.numa_node = numa_of(pu);
  return p;
}

// NUMA node of a PCI device, -1 when unknown. Accepts "dddd:bb:dd.f" and "bb:dd.f". Read from
// sysfs, as DPDK does (hwloc's PCI discovery would do too, but leaks in libpciaccess).
int device_numa(std::string_view device) {
  std::string id(device);
  if (std::count(id.begin(), id.end(), ':') == 1) id = "0000:" + id;
  std::ifstream f("/sys/bus/pci/devices/" + id + "/numa_node");
  int node = -1;
  if (!(f >> node)) return -1;
  return node;
}

std::string cpu_list(const std::vector<int>& cpus) {
  std::string s;
  for (size_t i = 0; i < cpus.size(); ++i) {
    // Collapse runs: 0-3,6
    size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!s.empty()) s += ',';
    s += std::to_string(cpus[i]);
    if (j > i) s += '-' + std::to_string(cpus[j]);
    i = j;
  }
  return s;
}

void warn_shared_cores(Placement& p) {
  std::set<int> seen;
  for (const CpuPlace& w : p.workers) {
    if (w.core < 0) continue;
    if (!seen.insert(w.core).second) {
      p.warnings.push_back("two workers share physical core " + std::to_string(w.core) +
                           " (SMT siblings or the same CPU): per-core throughput will drop");
    }
  }
}

}  // namespace

std::string Placement::lcores_arg() const {
  std::string s = "0@(";
  s += cpu_list(main_cpus);
  s += ')';
  for (size_t i = 0; i < workers.size(); ++i) {
    s += ',';
    s += std::to_string(i + 1);
    s += '@';
    s += std::to_string(workers[i].cpu);
  }
  return s;
}

std::string Placement::describe() const {
  std::string s;
  char line[160];
  for (size_t i = 0; i < workers.size(); ++i) {
    std::snprintf(line, sizeof line, "tlsburst placement: worker %zu on cpu %d (physical core %d, NUMA node %d)\n",
                  i, workers[i].cpu, workers[i].core, workers[i].numa_node);
    s += line;
  }
  if (!main_cpus.empty()) s += "tlsburst placement: main thread on cpus " + cpu_list(main_cpus) + "\n";
  if (device_numa_node >= 0) {
    s += "tlsburst placement: device on NUMA node " + std::to_string(device_numa_node) + "\n";
  }
  for (const std::string& w : warnings) s += "tlsburst placement: warning: " + w + "\n";
  return s;
}

Result<Placement> choose_placement(uint32_t num_workers, std::string_view device) {
  auto topo = Topology::load();
  if (!topo) return topo.error();
  hwloc_topology_t t = topo->get();
  Placement p;
  if (!device.empty()) {
    p.device_numa_node = device_numa(device);
    if (p.device_numa_node < 0) {
      p.warnings.push_back("device " + std::string(device) + " not found or has no NUMA locality");
    }
  }

  // One candidate per physical core: its first allowed PU. Cores on the device's node first.
  const hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t);
  std::vector<CpuPlace> candidates;
  std::vector<CpuPlace> siblings;  // the other PUs of each core, used only when cores run out
  const int num_cores = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE);
  for (int i = 0; i < num_cores; ++i) {
    hwloc_obj_t core = hwloc_get_obj_by_type(t, HWLOC_OBJ_CORE, static_cast<unsigned>(i));
    bool first = true;
    int pu;
    hwloc_bitmap_foreach_begin(pu, core->cpuset) {
      if (hwloc_bitmap_isset(allowed, static_cast<unsigned>(pu))) {
        CpuPlace place = place_of_cpu(*topo, pu);
        (first ? candidates : siblings).push_back(place);
        first = false;
      }
    }
    hwloc_bitmap_foreach_end();
  }
  if (candidates.empty()) {
    // No core objects (some VMs): every allowed PU is its own core.
    int pu;
    hwloc_bitmap_foreach_begin(pu, allowed) { candidates.push_back(place_of_cpu(*topo, pu)); }
    hwloc_bitmap_foreach_end();
  }
  if (candidates.empty()) return make_error(Alert::internal_error, "hwloc: no usable CPU");
  if (p.device_numa_node >= 0) {
    std::stable_partition(candidates.begin(), candidates.end(),
                          [&](const CpuPlace& c) { return c.numa_node == p.device_numa_node; });
  }

  const uint32_t want = num_workers == 0 ? static_cast<uint32_t>(candidates.size()) : num_workers;
  for (uint32_t i = 0; i < want; ++i) {
    if (i < candidates.size()) {
      p.workers.push_back(candidates[i]);
    } else if (i - candidates.size() < siblings.size()) {
      p.workers.push_back(siblings[i - candidates.size()]);
    } else {
      p.workers.push_back(candidates[i % candidates.size()]);
    }
  }
  if (want > candidates.size()) {
    p.warnings.push_back(std::to_string(want) + " workers on " + std::to_string(candidates.size()) +
                         " physical cores");
  }
  if (p.device_numa_node >= 0) {
    for (const CpuPlace& w : p.workers) {
      if (w.numa_node != p.device_numa_node) {
        p.warnings.push_back("worker on cpu " + std::to_string(w.cpu) + " is not on the device's NUMA node");
      }
    }
  }
  warn_shared_cores(p);

  // The main thread: the allowed CPUs no worker uses, or all of them.
  std::set<int> used;
  for (const CpuPlace& w : p.workers) used.insert(w.cpu);
  int pu;
  std::vector<int> all;
  hwloc_bitmap_foreach_begin(pu, allowed) {
    all.push_back(pu);
    if (used.count(pu) == 0) p.main_cpus.push_back(pu);
  }
  hwloc_bitmap_foreach_end();
  if (p.main_cpus.empty()) p.main_cpus = all;
  return p;
}

Result<Placement> describe_placement(std::span<const int> worker_cpus) {
  auto topo = Topology::load();
  if (!topo) return topo.error();
  Placement p;
  for (int cpu : worker_cpus) p.workers.push_back(place_of_cpu(*topo, cpu));
  warn_shared_cores(p);
  return p;
}

}  // namespace tlsburst::engine
