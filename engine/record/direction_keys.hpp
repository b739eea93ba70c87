// The raw traffic keys of one direction of a session, as the handshake's key schedule delivers
// them. Fixed inline storage, wiped on destruction; never logged.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "engine/common/secret.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::record {

struct DirectionKeys {
  Suite suite = Suite::tls13_aes_128_gcm_sha256;
  std::array<uint8_t, 32> key{};      // first suite_info(suite).key_len bytes used
  std::array<uint8_t, 12> iv{};       // first fixed_iv_len bytes used (salt / static IV)
  std::array<uint8_t, 48> mac_key{};  // CBC suites: first mac_key_len bytes used
  uint8_t key_len = 0;                // must equal suite_info(suite).key_len
  uint8_t iv_len = 0;                 // must equal suite_info(suite).fixed_iv_len
  uint8_t mac_key_len = 0;            // must equal suite_info(suite).mac_key_len
  uint64_t initial_seq = 0;           // sequence number of the first record (0 after CCS/KeyUpdate)
  bool encrypt_then_mac = false;      // CBC suites: RFC 7366 negotiated

  DirectionKeys() = default;
  DirectionKeys(const DirectionKeys&) = default;
  DirectionKeys& operator=(const DirectionKeys&) = default;
  ~DirectionKeys() { secure_wipe_object(*this); }

  // Copies the spans and records their sizes; install_keys() rejects sizes that do not match the
  // suite (longer spans are truncated to the storage, and then rejected too).
  static DirectionKeys make(Suite suite, std::span<const uint8_t> key, std::span<const uint8_t> iv,
                            std::span<const uint8_t> mac_key = {}, uint64_t initial_seq = 0);
};

}  // namespace tlsburst::record
