#include "engine/record/direction_keys.hpp"

#include <algorithm>

namespace tlsburst::record {

DirectionKeys DirectionKeys::make(Suite suite, std::span<const uint8_t> key, std::span<const uint8_t> iv,
                                  std::span<const uint8_t> mac_key, uint64_t initial_seq) {
  DirectionKeys k;
  k.suite = suite;
  std::copy_n(key.begin(), std::min(key.size(), k.key.size()), k.key.begin());
  std::copy_n(iv.begin(), std::min(iv.size(), k.iv.size()), k.iv.begin());
  std::copy_n(mac_key.begin(), std::min(mac_key.size(), k.mac_key.size()), k.mac_key.begin());
  k.key_len = static_cast<uint8_t>(std::min<size_t>(key.size(), 255));
  k.iv_len = static_cast<uint8_t>(std::min<size_t>(iv.size(), 255));
  k.mac_key_len = static_cast<uint8_t>(std::min<size_t>(mac_key.size(), 255));
  k.initial_seq = initial_seq;
  return k;
}

}  // namespace tlsburst::record
