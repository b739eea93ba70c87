// ServerHelloDone (RFC 5246 7.4.5): an empty message ending the server's first flight.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

Status decode_server_hello_done(std::span<const uint8_t> body);
Status encode_server_hello_done(std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
