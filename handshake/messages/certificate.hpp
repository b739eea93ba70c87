// Certificate (RFC 5246 7.4.2, 7.4.6): a u24-prefixed list of u24-prefixed DER certificates,
// sender's certificate first. A client may send an empty list.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

struct CertificateMessage {
  std::vector<std::span<const uint8_t>> chain;  // views into the message
};

// decode_error on length problems, an empty certificate or trailing bytes.
Result<CertificateMessage> decode_certificate(std::span<const uint8_t> body);

// Appends the whole message (header included).
Status encode_certificate(std::span<const std::vector<uint8_t>> chain, std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
