// One benchmark case of the record benchmark and the dimensions the binary sweeps: which
// contender, suite, ipsec-mb path, direction, record size and burst size. The benchmark name is
// built from it as record/<contender>/<suite>/<arch>/<seal|open>/size:N/burst:B so that
// --benchmark_filter can pick any slice.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/record/imb_manager.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::bench {

enum class Direction : uint8_t { seal, open };

constexpr std::string_view direction_name(Direction d) { return d == Direction::seal ? "seal" : "open"; }

struct BenchCase {
  std::string_view contender;
  record::Suite suite = record::Suite::tls13_aes_128_gcm_sha256;
  record::ImbArch arch = record::ImbArch::auto_detect;  // auto: the library picks its own path
  Direction direction = Direction::seal;
  uint32_t plaintext_len = 0;  // application bytes per record
  uint32_t burst = 1;          // records handed to the contender per call
};

std::string bench_name(const BenchCase& c);

inline constexpr std::array<uint32_t, 5> bench_plaintext_lens{64, 256, 1024, 4096, 16384};
inline constexpr std::array<uint32_t, 4> bench_bursts{1, 8, 32, 128};
inline constexpr uint32_t max_bench_burst = 128;

// The suites the benchmark sweeps. Issue 3 appends the CBC-HMAC suites here; a contender that does
// not implement a suite says so in its table row and is simply not registered for it.
inline constexpr std::array<record::Suite, 6> bench_suites{
    record::Suite::tls12_aes_128_gcm,
    record::Suite::tls12_aes_256_gcm,
    record::Suite::tls12_chacha20_poly1305,
    record::Suite::tls13_aes_128_gcm_sha256,
    record::Suite::tls13_aes_256_gcm_sha384,
    record::Suite::tls13_chacha20_poly1305_sha256,
};

}  // namespace tlsburst::bench
