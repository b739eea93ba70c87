// The fixed traffic keys every contender of a benchmark case uses: the same key and static IV for
// the record layer, the raw ipsec-mb calls, OpenSSL and cryptodev, so that records sealed by one
// open with any other.
#pragma once

#include <array>
#include <cstdint>

#include "engine/record/direction_keys.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::bench {

struct BenchKeys {
  record::Suite suite = record::Suite::tls13_aes_128_gcm_sha256;
  std::array<uint8_t, 32> key{};     // first key_len bytes used
  alignas(16) std::array<uint8_t, 16> iv{};  // first fixed_iv_len bytes used; zero beyond (framing reads 16)
  std::array<uint8_t, 48> mac_key{};  // CBC suites (issue 3)

  const record::SuiteInfo& info() const { return record::suite_info(suite); }
  record::DirectionKeys direction_keys() const;
};

BenchKeys make_bench_keys(record::Suite suite);

}  // namespace tlsburst::bench
