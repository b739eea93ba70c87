// server_name (RFC 6066 3): the client names the host it connects to; the server acknowledges
// with an empty extension when it used the name.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/common/result.hpp"
#include "handshake/codec/writer.hpp"

namespace tlsburst::handshake {

inline constexpr size_t max_host_name_len = 255;

// The host_name of a ClientHello's server_name list. decode_error on a malformed list, an empty
// name or two host names; illegal_parameter on a name with a NUL byte.
Result<std::string_view> decode_server_name(std::span<const uint8_t> body);

void put_server_name(Writer& w, std::string_view host_name);

// An IPv4 or IPv6 address literal: never sent as a server_name (RFC 6066 3), and matched against
// the certificate's IP addresses instead of its DNS names.
bool is_ip_literal(std::string_view name);

}  // namespace tlsburst::handshake
