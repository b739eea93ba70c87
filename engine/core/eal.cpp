#include "engine/core/eal.hpp"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <cstdio>
#include <cstring>
#include <memory>

namespace tlsburst::engine {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

bool gives_lcores(const std::string& a) {
  return a == "-l" || a == "-c" || a == "--lcores" || starts_with(a, "--lcores=") ||
         (a.size() > 2 && (starts_with(a, "-l") || starts_with(a, "-c")) && a[1] != '-');
}

// The first PCI address given with -a / --allow (device arguments after a comma dropped).
std::string first_allowed_device(const std::vector<std::string>& eal) {
  for (size_t i = 1; i < eal.size(); ++i) {
    std::string v;
    if ((eal[i] == "-a" || eal[i] == "--allow") && i + 1 < eal.size()) {
      v = eal[i + 1];
    } else if (starts_with(eal[i], "--allow=")) {
      v = eal[i].substr(8);
    } else if (starts_with(eal[i], "-a") && eal[i].size() > 2) {
      v = eal[i].substr(2);
    } else {
      continue;
    }
    return v.substr(0, v.find(','));
  }
  return {};
}

int first_cpu(unsigned lcore) {
  const rte_cpuset_t set = rte_lcore_cpuset(lcore);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) return cpu;
  }
  return -1;
}

}  // namespace

Result<EalSetup> eal_init(int argc, char** argv, const EalOptions& options) {
  std::vector<std::string> args(argv, argv + argc);
  return eal_init(args, options);
}

Result<EalSetup> eal_init(const std::vector<std::string>& args, const EalOptions& options) {
  EalSetup setup;
  if (args.empty()) return make_error(Alert::internal_error, "eal: no program name");
  size_t split = 1;
  while (split < args.size() && args[split] != "--") ++split;
  setup.eal_args.assign(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(split));
  setup.app_args.push_back(args[0]);
  if (split < args.size()) {
    setup.app_args.insert(setup.app_args.end(), args.begin() + static_cast<std::ptrdiff_t>(split) + 1,
                          args.end());
  }

  bool explicit_lcores = false;
  for (size_t i = 1; i < setup.eal_args.size(); ++i) explicit_lcores |= gives_lcores(setup.eal_args[i]);
  if (!explicit_lcores) {
    const std::string device = options.device.empty() ? first_allowed_device(setup.eal_args) : options.device;
    auto placement = choose_placement(options.num_workers, device);
    if (!placement) return placement.error();
    setup.placement = std::move(placement.value());
    setup.placement_chosen = true;
    setup.eal_args.push_back("--lcores=" + setup.placement.lcores_arg());
  }

  // rte_eal_init may keep pointers into argv and permutes it: give it storage that lives on.
  static std::vector<std::unique_ptr<char[]>> storage;
  std::vector<char*> argv;
  for (const std::string& a : setup.eal_args) {
    storage.emplace_back(new char[a.size() + 1]);
    std::memcpy(storage.back().get(), a.c_str(), a.size() + 1);
    argv.push_back(storage.back().get());
  }
  argv.push_back(nullptr);
  const int rc = rte_eal_init(static_cast<int>(setup.eal_args.size()), argv.data());
  if (rc < 0) {
    return make_error(Alert::internal_error, std::string("eal: rte_eal_init failed: ") + rte_strerror(rte_errno));
  }

  unsigned lcore;
  std::vector<int> cpus;
  RTE_LCORE_FOREACH_WORKER(lcore) {
    setup.worker_lcores.push_back(lcore);
    cpus.push_back(first_cpu(lcore));
  }
  if (!setup.placement_chosen) {
    auto described = describe_placement(cpus);
    if (described) setup.placement = std::move(described.value());
  }
  if (options.print_placement) {
    std::fputs(setup.placement.describe().c_str(), stdout);
    std::fflush(stdout);
  }
  return setup;
}

void eal_cleanup() { rte_eal_cleanup(); }

}  // namespace tlsburst::engine
