#include "handshake/messages/certificate_request.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/extensions/u16_list_extension.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<CertificateRequest> decode_certificate_request(std::span<const uint8_t> body) {
  Reader r(body);
  CertificateRequest cr;
  Reader types, authorities;
  if (!r.read_prefixed_u8(types) || types.empty()) return decode_error("CertificateRequest types");
  cr.certificate_types = types.rest();
  auto schemes = decode_u16_list(r, "CertificateRequest signature_algorithms", false);
  if (!schemes) return schemes.error();
  cr.signature_algorithms = *schemes;
  if (!r.read_prefixed_u16(authorities)) return decode_error("CertificateRequest authorities");
  if (Status s = r.expect_empty("CertificateRequest"); !s) return s.error();
  while (!authorities.empty()) {
    Reader name;
    if (!authorities.read_prefixed_u16(name) || name.empty()) return decode_error("CertificateRequest authority");
    cr.authorities.push_back(name.rest());
  }
  return cr;
}

Status encode_certificate_request(std::span<const ClientCertificateType> types,
                                  std::span<const SignatureScheme> schemes,
                                  std::span<const std::vector<uint8_t>> authorities, std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::certificate_request, [&](Writer& w) {
    w.put_prefixed_u8([&](Writer& t) {
      for (ClientCertificateType type : types) t.put_u8(static_cast<uint8_t>(type));
    });
    w.put_prefixed_u16([&](Writer& s) {
      for (SignatureScheme scheme : schemes) s.put_u16(static_cast<uint16_t>(scheme));
    });
    w.put_prefixed_u16([&](Writer& list) {
      for (const std::vector<uint8_t>& name : authorities) list.put_prefixed_u16([&](Writer& n) { n.put_bytes(name); });
    });
  });
}

}  // namespace tlsburst::handshake
