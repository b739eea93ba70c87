// ServerKeyExchange for ECDHE (RFC 8422 5.4): ServerECDHParams (named curve and the server's
// public value), then the signature over client_random + server_random + ServerECDHParams.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/crypto/named_group.hpp"

namespace tlsburst::handshake {

inline constexpr uint8_t ec_curve_type_named_curve = 3;

struct ServerKeyExchange {
  uint16_t group = 0;                   // NamedGroup wire value (the client checks it)
  std::span<const uint8_t> public_value;
  std::span<const uint8_t> params;      // the encoded ServerECDHParams, as signed
  uint16_t signature_scheme = 0;
  std::span<const uint8_t> signature;
};

// decode_error on length problems; illegal_parameter for a curve type other than named_curve.
Result<ServerKeyExchange> decode_server_key_exchange(std::span<const uint8_t> body);

// Appends ServerECDHParams (what gets signed) to `out`.
Status encode_ecdh_params(NamedGroup group, std::span<const uint8_t> public_value, std::vector<uint8_t>& out);

// Appends the whole message: `params` as made by encode_ecdh_params, then the signature.
Status encode_server_key_exchange(std::span<const uint8_t> params, uint16_t signature_scheme,
                                  std::span<const uint8_t> signature, std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
