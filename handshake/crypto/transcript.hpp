// The running hash of the handshake messages (RFC 5246 7.4.9 handshake_messages).
//
// Until the suite (and so the PRF hash) is known the messages are buffered; select_hash() then
// hashes the buffer and continues as a running hash. The raw messages stay available only when
// a CertificateVerify will need them (its signature hash may differ from the PRF hash).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/crypto/hash_algorithm.hpp"
#include "handshake/crypto/openssl_ptr.hpp"

namespace tlsburst::handshake {

struct HashValue {
  std::array<uint8_t, max_hash_len> bytes{};
  size_t len = 0;
  std::span<const uint8_t> span() const noexcept { return {bytes.data(), len}; }
};

class Transcript {
 public:
  Transcript() = default;
  Transcript(Transcript&&) noexcept = default;
  Transcript& operator=(Transcript&&) noexcept = default;

  // Appends one encoded handshake message (header included).
  Status add(std::span<const uint8_t> message);

  // Chooses the hash and hashes what is buffered. With keep_messages false the buffer is
  // released (and add() stops buffering).
  Status select_hash(HashAlgorithm hash, bool keep_messages);
  // Stops buffering raw messages (after the last CertificateVerify).
  void release_messages();

  // Hash of every message added so far; the running hash goes on.
  Result<HashValue> current_hash() const;

  bool has_hash() const noexcept { return _hash.has_value(); }
  bool keeps_messages() const noexcept { return _keep; }
  std::span<const uint8_t> messages() const noexcept { return _messages; }

 private:
  std::optional<HashAlgorithm> _hash;
  EvpMdCtxPtr _ctx;
  bool _keep = true;
  std::vector<uint8_t> _messages;
};

}  // namespace tlsburst::handshake
