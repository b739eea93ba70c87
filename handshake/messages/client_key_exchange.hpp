// ClientKeyExchange (RFC 5246 7.4.7, RFC 8422 5.7): the client's ECDH public value (u8-prefixed)
// or the RSA-encrypted premaster (u16-prefixed).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/tls12/cipher_suite.hpp"

namespace tlsburst::handshake {

// The exchange value; decode_error when empty, malformed or followed by trailing bytes.
Result<std::span<const uint8_t>> decode_client_key_exchange(std::span<const uint8_t> body, KeyExchange kind);

Status encode_client_key_exchange(KeyExchange kind, std::span<const uint8_t> value, std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
