// ServerHello (RFC 5246 7.4.1.3).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/crypto/key_schedule.hpp"
#include "handshake/extensions/server_hello_extensions.hpp"

namespace tlsburst::handshake {

struct ServerHello {
  uint16_t server_version = 0x0303;
  Random random{};
  std::span<const uint8_t> session_id;
  uint16_t cipher_suite = 0;
  uint8_t compression_method = 0;
  ServerHelloExtensions ext;
};

// decode_error on length problems; extension alerts from ServerHelloExtensions::decode.
Result<ServerHello> decode_server_hello(std::span<const uint8_t> body, const OfferedExtensions& offered);

// Appends the whole message (header included).
Status encode_server_hello(const ServerHello& sh, std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
