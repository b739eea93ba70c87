#include "handshake/extensions/server_hello_extensions.hpp"

#include "handshake/extensions/alpn.hpp"
#include "handshake/extensions/ec_point_formats.hpp"
#include "handshake/extensions/renegotiation_info.hpp"

namespace tlsburst::handshake {

namespace {

Error unsolicited(std::string_view name) {
  return make_error(Alert::unsupported_extension, std::string("ServerHello: unsolicited extension ") + std::string(name));
}

}  // namespace

Result<ServerHelloExtensions> ServerHelloExtensions::decode(const ExtensionBlock& block,
                                                            const OfferedExtensions& offered) {
  ServerHelloExtensions e;
  for (const RawExtension& raw : block.all()) {
    switch (static_cast<ExtensionType>(raw.type)) {
      case ExtensionType::server_name:
        if (!offered.server_name) return unsolicited("server_name");
        if (Status s = expect_empty_extension(raw.body, "server_name"); !s) return s.error();
        e.server_name = true;
        break;
      case ExtensionType::ec_point_formats:
        if (!offered.ec_point_formats) return unsolicited("ec_point_formats");
        if (Status s = decode_ec_point_formats(raw.body); !s) return s.error();
        e.ec_point_formats = true;
        break;
      case ExtensionType::alpn: {
        if (!offered.alpn) return unsolicited("alpn");
        auto name = decode_alpn_selected(raw.body);
        if (!name) return name.error();
        e.alpn = *name;
        break;
      }
      case ExtensionType::renegotiation_info: {
        if (!offered.renegotiation_info) return unsolicited("renegotiation_info");
        auto field = decode_renegotiation_info(raw.body);
        if (!field) return field.error();
        e.renegotiation_info = *field;
        break;
      }
      case ExtensionType::extended_master_secret:
        if (!offered.extended_master_secret) return unsolicited("extended_master_secret");
        if (Status s = expect_empty_extension(raw.body, "extended_master_secret"); !s) return s.error();
        e.extended_master_secret = true;
        break;
      case ExtensionType::encrypt_then_mac:
        if (!offered.encrypt_then_mac) return unsolicited("encrypt_then_mac");
        if (Status s = expect_empty_extension(raw.body, "encrypt_then_mac"); !s) return s.error();
        e.encrypt_then_mac = true;
        break;
      case ExtensionType::session_ticket:
        if (!offered.session_ticket) return unsolicited("session_ticket");
        if (Status s = expect_empty_extension(raw.body, "session_ticket"); !s) return s.error();
        e.session_ticket = true;
        break;
      default:
        return make_error(Alert::unsupported_extension, "ServerHello: extension the client did not offer");
    }
  }
  return e;
}

void ServerHelloExtensions::encode(Writer& w) const {
  if (renegotiation_info) {
    put_extension(w, ExtensionType::renegotiation_info, [&](Writer& body) {
      body.put_prefixed_u8([&](Writer& f) { f.put_bytes(*renegotiation_info); });
    });
  }
  if (server_name) put_empty_extension(w, ExtensionType::server_name);
  if (ec_point_formats) put_ec_point_formats(w);
  if (alpn) put_alpn_selected(w, *alpn);
  if (extended_master_secret) put_empty_extension(w, ExtensionType::extended_master_secret);
  if (encrypt_then_mac) put_empty_extension(w, ExtensionType::encrypt_then_mac);
  if (session_ticket) put_empty_extension(w, ExtensionType::session_ticket);
}

bool ServerHelloExtensions::any() const noexcept {
  return server_name || ec_point_formats || alpn || renegotiation_info || extended_master_secret ||
         encrypt_then_mac || session_ticket;
}

}  // namespace tlsburst::handshake
