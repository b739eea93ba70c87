// TLS extension code points (IANA "TLS ExtensionType Values") that tlsburst's TLS 1.2 handshake
// understands. Any other code point is ignored when received.
#pragma once

#include <cstdint>

namespace tlsburst::handshake {

enum class ExtensionType : uint16_t {
  server_name = 0,                // RFC 6066
  supported_groups = 10,          // RFC 8422 (was elliptic_curves)
  ec_point_formats = 11,          // RFC 8422
  signature_algorithms = 13,      // RFC 5246 7.4.1.4.1
  heartbeat = 15,                 // RFC 6520: never negotiated
  alpn = 16,                      // RFC 7301
  encrypt_then_mac = 22,          // RFC 7366
  extended_master_secret = 23,    // RFC 7627
  session_ticket = 35,            // RFC 5077
  supported_versions = 43,        // RFC 8446: TLS 1.3 only, ignored here
  renegotiation_info = 0xff01,    // RFC 5746
};

}  // namespace tlsburst::handshake
