// ec_point_formats (RFC 8422 5.1.2): tlsburst only uses uncompressed points, which a client
// that sends the extension must list.
#pragma once

#include <cstdint>
#include <span>

#include "engine/common/result.hpp"
#include "handshake/codec/writer.hpp"

namespace tlsburst::handshake {

inline constexpr uint8_t point_format_uncompressed = 0;

// The list (u8-prefixed, non-empty): decode_error when malformed, illegal_parameter when it
// lacks the uncompressed format.
Status decode_ec_point_formats(std::span<const uint8_t> body);

// Sends the list {uncompressed}.
void put_ec_point_formats(Writer& w);

}  // namespace tlsburst::handshake
