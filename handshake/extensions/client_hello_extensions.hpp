// The extensions of a ClientHello that tlsburst acts on, decoded and validated (views into the
// message). Unknown extensions are ignored; heartbeat and supported_versions are recognised
// and ignored (never negotiated).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/common/result.hpp"
#include "handshake/codec/u16_list.hpp"
#include "handshake/extensions/alpn.hpp"
#include "handshake/extensions/extension_block.hpp"

namespace tlsburst::handshake {

struct ClientHelloExtensions {
  std::optional<std::string_view> server_name;
  std::optional<U16List> supported_groups;
  bool ec_point_formats = false;  // present (and lists uncompressed)
  std::optional<U16List> signature_algorithms;
  std::optional<AlpnList> alpn;
  std::optional<std::span<const uint8_t>> renegotiation_info;  // renegotiated_connection
  bool extended_master_secret = false;
  bool encrypt_then_mac = false;
  std::optional<std::span<const uint8_t>> session_ticket;  // parsed; resumption is not offered

  static Result<ClientHelloExtensions> decode(const ExtensionBlock& block);
};

}  // namespace tlsburst::handshake
