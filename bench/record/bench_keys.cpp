#include "bench/record/bench_keys.hpp"

#include <span>

namespace tlsburst::bench {

BenchKeys make_bench_keys(record::Suite suite) {
  BenchKeys k;
  k.suite = suite;
  const record::SuiteInfo& info = k.info();
  for (uint32_t i = 0; i < info.key_len; ++i) k.key[i] = static_cast<uint8_t>(0x11 * (i + 1) + 3);
  for (uint32_t i = 0; i < info.fixed_iv_len; ++i) k.iv[i] = static_cast<uint8_t>(0xa5 ^ (i * 13));
  for (uint32_t i = 0; i < info.mac_key_len; ++i) k.mac_key[i] = static_cast<uint8_t>(0x5a + i);
  return k;
}

record::DirectionKeys BenchKeys::direction_keys() const {
  const record::SuiteInfo& i = info();
  return record::DirectionKeys::make(suite, std::span<const uint8_t>(key.data(), i.key_len),
                                     std::span<const uint8_t>(iv.data(), i.fixed_iv_len),
                                     std::span<const uint8_t>(mac_key.data(), i.mac_key_len));
}

}  // namespace tlsburst::bench
