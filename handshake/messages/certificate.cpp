#include "handshake/messages/certificate.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<CertificateMessage> decode_certificate(std::span<const uint8_t> body) {
  Reader r(body);
  Reader list;
  if (!r.read_prefixed_u24(list)) return decode_error("Certificate");
  if (Status s = r.expect_empty("Certificate"); !s) return s.error();
  CertificateMessage m;
  while (!list.empty()) {
    Reader cert;
    if (!list.read_prefixed_u24(cert) || cert.empty()) return decode_error("Certificate entry");
    m.chain.push_back(cert.rest());
  }
  return m;
}

Status encode_certificate(std::span<const std::vector<uint8_t>> chain, std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::certificate, [&](Writer& w) {
    w.put_prefixed_u24([&](Writer& list) {
      for (const std::vector<uint8_t>& der : chain) list.put_prefixed_u24([&](Writer& c) { c.put_bytes(der); });
    });
  });
}

}  // namespace tlsburst::handshake
