// CertificateVerify (RFC 5246 7.4.8): the client's signature over all handshake messages so far.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

struct CertificateVerify {
  uint16_t signature_scheme = 0;
  std::span<const uint8_t> signature;
};

Result<CertificateVerify> decode_certificate_verify(std::span<const uint8_t> body);
Status encode_certificate_verify(uint16_t signature_scheme, std::span<const uint8_t> signature,
                                 std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
