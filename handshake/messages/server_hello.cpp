#include "handshake/messages/server_hello.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/messages/client_hello.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<ServerHello> decode_server_hello(std::span<const uint8_t> body, const OfferedExtensions& offered) {
  Reader r(body);
  ServerHello sh;
  Reader session_id;
  if (!r.read_u16(sh.server_version) || !r.read_array(sh.random) || !r.read_prefixed_u8(session_id) ||
      session_id.remaining() > max_session_id_len || !r.read_u16(sh.cipher_suite) ||
      !r.read_u8(sh.compression_method)) {
    return decode_error("ServerHello");
  }
  sh.session_id = session_id.rest();
  if (!r.empty()) {
    Reader list;
    if (!r.read_prefixed_u16(list)) return decode_error("ServerHello extensions");
    if (Status s = r.expect_empty("ServerHello"); !s) return s.error();
    auto block = ExtensionBlock::decode(list);
    if (!block) return block.error();
    auto ext = ServerHelloExtensions::decode(*block, offered);
    if (!ext) return ext.error();
    sh.ext = *ext;
  }
  return sh;
}

Status encode_server_hello(const ServerHello& sh, std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::server_hello, [&](Writer& w) {
    w.put_u16(sh.server_version);
    w.put_bytes(sh.random);
    w.put_prefixed_u8([&](Writer& s) { s.put_bytes(sh.session_id); });
    w.put_u16(sh.cipher_suite);
    w.put_u8(sh.compression_method);
    if (sh.ext.any()) w.put_prefixed_u16([&](Writer& ext) { sh.ext.encode(ext); });
  });
}

}  // namespace tlsburst::handshake
