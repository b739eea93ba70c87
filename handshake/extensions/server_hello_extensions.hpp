// The extensions of a ServerHello: what the server accepted. Decoding checks each against what
// the client offered (an extension the client did not send is unsupported_extension, RFC 5246
// 7.4.1.4); encoding writes the server's answers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/common/result.hpp"
#include "handshake/codec/writer.hpp"
#include "handshake/extensions/extension_block.hpp"

namespace tlsburst::handshake {

// What a client put in its hello, for the check of the server's answer.
struct OfferedExtensions {
  bool server_name = false;
  bool ec_point_formats = false;
  bool alpn = false;
  bool renegotiation_info = false;
  bool extended_master_secret = false;
  bool encrypt_then_mac = false;
  bool session_ticket = false;
};

struct ServerHelloExtensions {
  bool server_name = false;  // acknowledged
  bool ec_point_formats = false;
  std::optional<std::string_view> alpn;
  std::optional<std::span<const uint8_t>> renegotiation_info;
  bool extended_master_secret = false;
  bool encrypt_then_mac = false;
  bool session_ticket = false;

  static Result<ServerHelloExtensions> decode(const ExtensionBlock& block, const OfferedExtensions& offered);
  void encode(Writer& w) const;  // the extension entries (without the list's length prefix)
  bool any() const noexcept;
};

}  // namespace tlsburst::handshake
