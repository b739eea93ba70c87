#include "handshake/messages/server_key_exchange.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<ServerKeyExchange> decode_server_key_exchange(std::span<const uint8_t> body) {
  Reader r(body);
  ServerKeyExchange ske;
  uint8_t curve_type = 0;
  Reader point, signature;
  if (!r.read_u8(curve_type)) return decode_error("ServerKeyExchange");
  if (curve_type != ec_curve_type_named_curve) {
    return make_error(Alert::illegal_parameter, "ServerKeyExchange: curve type is not named_curve");
  }
  if (!r.read_u16(ske.group) || !r.read_prefixed_u8(point) || point.empty()) {
    return decode_error("ServerKeyExchange params");
  }
  ske.public_value = point.rest();
  ske.params = body.first(body.size() - r.remaining());
  if (!r.read_u16(ske.signature_scheme) || !r.read_prefixed_u16(signature) || signature.empty()) {
    return decode_error("ServerKeyExchange signature");
  }
  if (Status s = r.expect_empty("ServerKeyExchange"); !s) return s.error();
  ske.signature = signature.rest();
  return ske;
}

Status encode_ecdh_params(NamedGroup group, std::span<const uint8_t> public_value, std::vector<uint8_t>& out) {
  Writer w(out);
  w.put_u8(ec_curve_type_named_curve);
  w.put_u16(static_cast<uint16_t>(group));
  w.put_prefixed_u8([&](Writer& p) { p.put_bytes(public_value); });
  return w.finish("ServerECDHParams");
}

Status encode_server_key_exchange(std::span<const uint8_t> params, uint16_t signature_scheme,
                                  std::span<const uint8_t> signature, std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::server_key_exchange, [&](Writer& w) {
    w.put_bytes(params);
    w.put_u16(signature_scheme);
    w.put_prefixed_u16([&](Writer& s) { s.put_bytes(signature); });
  });
}

}  // namespace tlsburst::handshake
