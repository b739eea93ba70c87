#include "bench/handshake/bench_setup.hpp"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <algorithm>
#include <time.h>

namespace tlsburst::handshake::bench {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

namespace {

// What one start/stop pair of thread_cpu_seconds() costs, measured once.
double clock_pair_cost() {
  static const double cost = [] {
    double best = 1;
    for (int round = 0; round < 5; ++round) {
      constexpr int n = 20000;
      const double start = thread_cpu_seconds();
      for (int i = 0; i < n; ++i) {
        const double a = thread_cpu_seconds();
        const double b = thread_cpu_seconds();
        asm volatile("" : : "r"(a), "r"(b));
      }
      best = std::min(best, (thread_cpu_seconds() - start) / n);
    }
    return best;
  }();
  return cost;
}

}  // namespace

double ServerTimer::seconds() const {
  // A measured interval holds about one clock read (half of each pair falls outside it).
  return _total - static_cast<double>(_num_calls) * clock_pair_cost() / 2;
}

const std::string& pki_dir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/tlsburst-hs-bench-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (d == nullptr) std::abort();
    const std::string cmd = std::string(TLSBURST_PKI_SCRIPT) + " " + d + " > /dev/null";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "cannot generate certificates with %s\n", TLSBURST_PKI_SCRIPT);
      std::abort();
    }
    static const std::string to_remove = d;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(to_remove, ec);
    });
    return std::string(d);
  }();
  return dir;
}

}  // namespace tlsburst::handshake::bench
