// renegotiation_info (RFC 5746): the secure renegotiation indication. On the initial handshake
// both sides send an empty renegotiated_connection; tlsburst never renegotiates.
#pragma once

#include <cstdint>
#include <span>

#include "engine/common/result.hpp"
#include "handshake/codec/writer.hpp"

namespace tlsburst::handshake {

// The renegotiated_connection field (u8-prefixed); decode_error when malformed.
Result<std::span<const uint8_t>> decode_renegotiation_info(std::span<const uint8_t> body);

// The initial handshake's extension (empty renegotiated_connection).
void put_renegotiation_info(Writer& w);

}  // namespace tlsburst::handshake
