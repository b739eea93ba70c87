// The TLS 1.2 pseudo-random function (RFC 5246 section 5):
//   PRF(secret, label, seed) = P_<hash>(secret, label + seed)
//   P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
//   A(0) = seed, A(i) = HMAC(secret, A(i-1))
// HMAC is libcrypto's; only the P_hash construction is here. The seed is given in up to two
// parts so callers need not concatenate randoms.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/common/result.hpp"
#include "handshake/crypto/hash_algorithm.hpp"

namespace tlsburst::handshake {

Status prf(HashAlgorithm hash, std::span<const uint8_t> secret, std::string_view label,
           std::span<const uint8_t> seed_a, std::span<const uint8_t> seed_b, std::span<uint8_t> out);

}  // namespace tlsburst::handshake
