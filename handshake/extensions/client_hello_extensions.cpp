#include "handshake/extensions/client_hello_extensions.hpp"

#include "handshake/extensions/ec_point_formats.hpp"
#include "handshake/extensions/renegotiation_info.hpp"
#include "handshake/extensions/server_name.hpp"
#include "handshake/extensions/u16_list_extension.hpp"

namespace tlsburst::handshake {

Result<ClientHelloExtensions> ClientHelloExtensions::decode(const ExtensionBlock& block) {
  ClientHelloExtensions e;
  for (const RawExtension& raw : block.all()) {
    switch (static_cast<ExtensionType>(raw.type)) {
      case ExtensionType::server_name: {
        auto name = decode_server_name(raw.body);
        if (!name) return name.error();
        e.server_name = *name;
        break;
      }
      case ExtensionType::supported_groups: {
        auto list = decode_u16_list_extension(raw.body, "supported_groups");
        if (!list) return list.error();
        e.supported_groups = *list;
        break;
      }
      case ExtensionType::ec_point_formats:
        if (Status s = decode_ec_point_formats(raw.body); !s) return s.error();
        e.ec_point_formats = true;
        break;
      case ExtensionType::signature_algorithms: {
        auto list = decode_u16_list_extension(raw.body, "signature_algorithms");
        if (!list) return list.error();
        e.signature_algorithms = *list;
        break;
      }
      case ExtensionType::alpn: {
        auto list = decode_alpn(raw.body);
        if (!list) return list.error();
        e.alpn = *list;
        break;
      }
      case ExtensionType::renegotiation_info: {
        auto field = decode_renegotiation_info(raw.body);
        if (!field) return field.error();
        e.renegotiation_info = *field;
        break;
      }
      case ExtensionType::extended_master_secret:
        if (Status s = expect_empty_extension(raw.body, "extended_master_secret"); !s) return s.error();
        e.extended_master_secret = true;
        break;
      case ExtensionType::encrypt_then_mac:
        if (Status s = expect_empty_extension(raw.body, "encrypt_then_mac"); !s) return s.error();
        e.encrypt_then_mac = true;
        break;
      case ExtensionType::session_ticket:
        e.session_ticket = raw.body;  // empty (asking for a ticket) or a ticket: both opaque
        break;
      default:
        break;  // heartbeat, supported_versions and unknown extensions: ignored
    }
  }
  return e;
}

}  // namespace tlsburst::handshake
