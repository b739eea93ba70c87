// tlsburst_record_bench: the record layer and its baselines in one Google Benchmark binary, on
// the same rings. Names: record/<contender>/<suite>/<arch>/<seal|open>/size:N/burst:B, e.g.
//   --benchmark_filter='record/.*/TLS1.3-AES-128-GCM.*/auto/seal/size:64/burst:32'
// Benchmarks of one (suite, direction, size, burst) are registered next to each other so that
// the contenders being compared run close together in time.
#include <benchmark/benchmark.h>
#include <intel-ipsec-mb.h>
#include <openssl/crypto.h>
#include <sched.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/record/bench_case.hpp"
#include "bench/record/contender.hpp"
#include "bench/record/cryptodev_env.hpp"
#include "bench/record/run_case.hpp"
#include "engine/record/imb_manager.hpp"
#include "engine/record/record_processor.hpp"

namespace {

using namespace tlsburst;
using namespace tlsburst::bench;

int last_online_cpu() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  int last = 0;
  for (int i = 0; i < CPU_SETSIZE; ++i) {
    if (CPU_ISSET(i, &set)) last = i;
  }
  return last;
}

bool pin_to_cpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return sched_setaffinity(0, sizeof set, &set) == 0;
}

std::string_view kernel_name(record::AeadKernel k) { return k == record::AeadKernel::direct ? "direct" : "burst"; }

void register_all() {
  std::vector<record::ImbArch> archs{record::ImbArch::auto_detect};
  for (record::ImbArch a : record::available_archs()) archs.push_back(a);
  const std::vector<record::ImbArch> auto_only{record::ImbArch::auto_detect};

  for (record::Suite suite : bench_suites) {
    for (Direction dir : {Direction::seal, Direction::open}) {
      for (uint32_t len : bench_plaintext_lens) {
        for (uint32_t burst : bench_bursts) {
          for (const ContenderInfo& info : contenders()) {
            if (!info.supports(suite)) continue;
            for (record::ImbArch arch : info.per_imb_arch ? archs : auto_only) {
              const BenchCase c{info.name, suite, arch, dir, len, burst};
              const ContenderInfo* ip = &info;
              benchmark::RegisterBenchmark(bench_name(c).c_str(),
                                           [c, ip](benchmark::State& st) { run_case(st, c, *ip); });
            }
          }
        }
      }
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int cpu = last_online_cpu();
  const bool have_cryptodev = cryptodev_env_init("tlsburst_record_bench", cpu);
  if (!have_cryptodev) {
    std::fprintf(stderr, "tlsburst_record_bench: cryptodev benchmarks will be skipped: %s\n",
                 std::string(cryptodev_env_error()).c_str());
  }
  const bool pinned = pin_to_cpu(cpu);
  if (!pinned) std::fprintf(stderr, "tlsburst_record_bench: could not pin to CPU %d\n", cpu);

  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  const record::RecordProcessorOptions defaults;
  benchmark::AddCustomContext("pinned_cpu", pinned ? std::to_string(cpu) : "none");
  benchmark::AddCustomContext("ipsec_mb_version", IMB_VERSION_STR);
  benchmark::AddCustomContext("ipsec_mb_detected_arch", std::string(record::arch_name(record::detected_arch())));
  benchmark::AddCustomContext("openssl_version", OpenSSL_version(OPENSSL_VERSION));
  benchmark::AddCustomContext("ours_default_gcm_kernel", std::string(kernel_name(defaults.gcm_kernel)));
  benchmark::AddCustomContext("ours_default_chacha_kernel", std::string(kernel_name(defaults.chacha_kernel)));
  benchmark::AddCustomContext("cryptodev", have_cryptodev ? "crypto_aesni_mb"
                                                          : "unavailable: " + std::string(cryptodev_env_error()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  cryptodev_env_shutdown();
  return 0;
}
