#include "handshake/messages/client_hello.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/extensions/alpn.hpp"
#include "handshake/extensions/ec_point_formats.hpp"
#include "handshake/extensions/renegotiation_info.hpp"
#include "handshake/extensions/server_name.hpp"
#include "handshake/extensions/u16_list_extension.hpp"
#include "handshake/messages/handshake_framing.hpp"

namespace tlsburst::handshake {

Result<ClientHello> decode_client_hello(std::span<const uint8_t> body) {
  Reader r(body);
  ClientHello ch;
  Reader session_id, suites, compression;
  if (!r.read_u16(ch.client_version) || !r.read_array(ch.random) || !r.read_prefixed_u8(session_id) ||
      session_id.remaining() > max_session_id_len || !r.read_prefixed_u16(suites) || suites.empty() ||
      suites.remaining() % 2 != 0 || !r.read_prefixed_u8(compression) || compression.empty()) {
    return decode_error("ClientHello");
  }
  ch.session_id = session_id.rest();
  ch.cipher_suites = U16List(suites.rest());
  ch.compression_methods = compression.rest();
  if (!r.empty()) {  // the extensions field may be absent altogether
    Reader list;
    if (!r.read_prefixed_u16(list)) return decode_error("ClientHello extensions");
    if (Status s = r.expect_empty("ClientHello"); !s) return s.error();
    auto block = ExtensionBlock::decode(list);
    if (!block) return block.error();
    ch.extensions = std::move(block).value();
  }
  auto ext = ClientHelloExtensions::decode(ch.extensions);
  if (!ext) return ext.error();
  ch.ext = *ext;
  return ch;
}

Status encode_client_hello(const ClientHelloParams& p, std::vector<uint8_t>& out) {
  return put_handshake_message(out, HandshakeType::client_hello, [&](Writer& w) {
    w.put_u16(p.client_version);
    w.put_bytes(p.random);
    w.put_prefixed_u8([&](Writer& s) { s.put_bytes(p.session_id); });
    w.put_prefixed_u16([&](Writer& s) {
      for (uint16_t suite : p.cipher_suites) s.put_u16(suite);
    });
    w.put_prefixed_u8([](Writer& c) { c.put_u8(0); });  // null compression only
    w.put_prefixed_u16([&](Writer& ext) {
      if (p.renegotiation_info) put_renegotiation_info(ext);
      if (!p.server_name.empty()) put_server_name(ext, p.server_name);
      if (!p.groups.empty()) {
        put_u16_list_extension(ext, ExtensionType::supported_groups, p.groups);
        put_ec_point_formats(ext);
      }
      if (!p.signature_schemes.empty()) {
        put_u16_list_extension(ext, ExtensionType::signature_algorithms, p.signature_schemes);
      }
      if (!p.alpn.empty()) put_alpn(ext, p.alpn);
      if (p.extended_master_secret) put_empty_extension(ext, ExtensionType::extended_master_secret);
      if (p.encrypt_then_mac) put_empty_extension(ext, ExtensionType::encrypt_then_mac);
      if (p.session_ticket) put_empty_extension(ext, ExtensionType::session_ticket);
    });
  });
}

}  // namespace tlsburst::handshake
