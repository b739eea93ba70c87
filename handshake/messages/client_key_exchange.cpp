#include "handshake/messages/client_key_exchange.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<std::span<const uint8_t>> decode_client_key_exchange(std::span<const uint8_t> body, KeyExchange kind) {
  Reader r(body);
  Reader value;
  const bool ok = kind == KeyExchange::ecdhe ? r.read_prefixed_u8(value) : r.read_prefixed_u16(value);
  if (!ok || value.empty()) return decode_error("ClientKeyExchange");
  if (Status s = r.expect_empty("ClientKeyExchange"); !s) return s.error();
  return value.rest();
}

Status encode_client_key_exchange(KeyExchange kind, std::span<const uint8_t> value, std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::client_key_exchange, [&](Writer& w) {
    w.put_prefixed(kind == KeyExchange::ecdhe ? 1 : 2, [&](Writer& v) { v.put_bytes(value); });
  });
}

}  // namespace tlsburst::handshake
