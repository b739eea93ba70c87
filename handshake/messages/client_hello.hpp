// ClientHello (RFC 5246 7.4.1.2).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/codec/u16_list.hpp"
#include "handshake/crypto/key_schedule.hpp"
#include "handshake/crypto/named_group.hpp"
#include "handshake/crypto/signature_scheme.hpp"
#include "handshake/extensions/client_hello_extensions.hpp"
#include "handshake/extensions/extension_block.hpp"

namespace tlsburst::handshake {

inline constexpr size_t max_session_id_len = 32;

// A received ClientHello: views into the message body.
struct ClientHello {
  uint16_t client_version = 0;
  Random random{};
  std::span<const uint8_t> session_id;
  U16List cipher_suites;
  std::span<const uint8_t> compression_methods;
  ExtensionBlock extensions;
  ClientHelloExtensions ext;
};

// decode_error on any length problem or trailing byte; illegal_parameter on duplicate
// extensions; extension-specific alerts from ClientHelloExtensions::decode.
Result<ClientHello> decode_client_hello(std::span<const uint8_t> body);

// What a client sends.
struct ClientHelloParams {
  uint16_t client_version = 0x0303;
  Random random{};
  std::span<const uint8_t> session_id;
  std::span<const uint16_t> cipher_suites;  // wire values, signalling values included
  std::string_view server_name;             // empty: no server_name
  std::span<const NamedGroup> groups;       // empty: no supported_groups / ec_point_formats
  std::span<const SignatureScheme> signature_schemes;
  std::span<const std::string> alpn;        // empty: no ALPN
  bool renegotiation_info = true;
  bool extended_master_secret = true;
  bool encrypt_then_mac = false;
  bool session_ticket = false;
};

// Appends the whole message (header included) to `out`.
Status encode_client_hello(const ClientHelloParams& p, std::vector<uint8_t>& out);

}  // namespace tlsburst::handshake
