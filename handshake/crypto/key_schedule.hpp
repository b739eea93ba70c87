// The TLS 1.2 key schedule, typed by phase (RFC 5246 8.1, 6.3, 7.4.9; RFC 7627):
//
//   PreMasterSecret --derive--> MasterSecret --expand_traffic_keys--> TrafficKeys
//                                            --finished_verify_data--> VerifyData
//
// Each phase is its own move-only type holding its secret inline and wiping it on destruction;
// a master secret can only be made by consuming a premaster secret, and traffic keys only from a
// master secret, so deriving the wrong thing from the wrong secret does not compile.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/common/result.hpp"
#include "engine/record/direction_keys.hpp"
#include "engine/record/suite.hpp"
#include "handshake/crypto/hash_algorithm.hpp"
#include "handshake/role.hpp"

namespace tlsburst::handshake {

inline constexpr size_t random_len = 32;
inline constexpr size_t master_secret_len = 48;
inline constexpr size_t verify_data_len = 12;

using Random = std::array<uint8_t, random_len>;
using VerifyData = std::array<uint8_t, verify_data_len>;

// The ECDHE shared secret (the x coordinate, or the X25519 output) or the 48-byte RSA premaster.
class PreMasterSecret {
 public:
  static constexpr size_t max_len = 66;

  PreMasterSecret() = default;
  PreMasterSecret(PreMasterSecret&& other) noexcept;
  PreMasterSecret& operator=(PreMasterSecret&& other) noexcept;
  PreMasterSecret(const PreMasterSecret&) = delete;
  PreMasterSecret& operator=(const PreMasterSecret&) = delete;
  ~PreMasterSecret();

  // Sets the length (at most max_len) and returns the storage for the producer to fill.
  std::span<uint8_t> prepare(size_t len) noexcept;
  std::span<const uint8_t> bytes() const noexcept { return {_bytes.data(), _len}; }

 private:
  std::array<uint8_t, max_len> _bytes{};
  size_t _len = 0;
};

// Both directions' record keys, as the key block yields them.
struct TrafficKeys {
  record::DirectionKeys client_write;
  record::DirectionKeys server_write;
};

class MasterSecret {
 public:
  // master_secret = PRF(pms, "master secret", client_random + server_random)[0..47]
  static Result<MasterSecret> derive(HashAlgorithm prf_hash, PreMasterSecret&& pms, const Random& client_random,
                                     const Random& server_random);
  // RFC 7627: PRF(pms, "extended master secret", session_hash)[0..47]
  static Result<MasterSecret> derive_extended(HashAlgorithm prf_hash, PreMasterSecret&& pms,
                                              std::span<const uint8_t> session_hash);

  MasterSecret(MasterSecret&& other) noexcept;
  MasterSecret& operator=(MasterSecret&& other) noexcept;
  MasterSecret(const MasterSecret&) = delete;
  MasterSecret& operator=(const MasterSecret&) = delete;
  ~MasterSecret();

  // key_block = PRF(master, "key expansion", server_random + client_random), cut into
  // client/server MAC keys, cipher keys and fixed IVs for `suite`; initial sequence number 0.
  Result<TrafficKeys> expand_traffic_keys(record::Suite suite, bool encrypt_then_mac, const Random& client_random,
                                          const Random& server_random) const;

  // verify_data = PRF(master, "client finished" | "server finished", Hash(handshake_messages))[0..11]
  Result<VerifyData> finished_verify_data(Role sender, std::span<const uint8_t> transcript_hash) const;

  HashAlgorithm prf_hash() const noexcept { return _prf_hash; }
  // For the NSS key log only.
  std::span<const uint8_t, master_secret_len> bytes() const noexcept { return std::span<const uint8_t, master_secret_len>(_bytes); }

 private:
  MasterSecret() = default;
  HashAlgorithm _prf_hash = HashAlgorithm::sha256;
  std::array<uint8_t, master_secret_len> _bytes{};
};

}  // namespace tlsburst::handshake
