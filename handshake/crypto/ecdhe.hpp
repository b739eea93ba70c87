// Ephemeral elliptic-curve Diffie-Hellman (RFC 8422, RFC 7748) through libcrypto: key
// generation, the public value as it goes on the wire, and derivation of the premaster secret
// from the peer's public value.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/common/result.hpp"
#include "handshake/crypto/key_schedule.hpp"
#include "handshake/crypto/named_group.hpp"
#include "handshake/crypto/openssl_ptr.hpp"

namespace tlsburst::handshake {

class EcdheKeyPair {
 public:
  static constexpr size_t max_public_len = 97;

  static Result<EcdheKeyPair> generate(NamedGroup group);

  NamedGroup group() const noexcept { return _group; }
  // X25519: the 32-byte u-coordinate; NIST curves: the uncompressed point 04 || x || y.
  std::span<const uint8_t> public_value() const noexcept { return {_public.data(), _public_len}; }

  // The shared secret with `peer_public` (same encoding). A value of the wrong length, a point
  // off the curve or an all-zero X25519 result is illegal_parameter.
  Result<PreMasterSecret> derive(std::span<const uint8_t> peer_public) const;

 private:
  EcdheKeyPair(NamedGroup group, EvpPkeyPtr key) : _group(group), _key(std::move(key)) {}
  NamedGroup _group;
  EvpPkeyPtr _key;
  std::array<uint8_t, max_public_len> _public{};
  size_t _public_len = 0;
};

}  // namespace tlsburst::handshake
