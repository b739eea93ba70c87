#include "handshake/messages/certificate_verify.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<CertificateVerify> decode_certificate_verify(std::span<const uint8_t> body) {
  Reader r(body);
  CertificateVerify cv;
  Reader signature;
  if (!r.read_u16(cv.signature_scheme) || !r.read_prefixed_u16(signature) || signature.empty()) {
    return decode_error("CertificateVerify");
  }
  if (Status s = r.expect_empty("CertificateVerify"); !s) return s.error();
  cv.signature = signature.rest();
  return cv;
}

Status encode_certificate_verify(uint16_t signature_scheme, std::span<const uint8_t> signature,
                                 std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::certificate_verify, [&](Writer& w) {
    w.put_u16(signature_scheme);
    w.put_prefixed_u16([&](Writer& s) { s.put_bytes(signature); });
  });
}

}  // namespace tlsburst::handshake
