// Key-exchange groups for ECDHE (RFC 8422, RFC 7748).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tlsburst::handshake {

enum class NamedGroup : uint16_t { secp256r1 = 23, secp384r1 = 24, x25519 = 29 };

constexpr std::optional<NamedGroup> named_group_from_wire(uint16_t v) {
  switch (v) {
    case 23: return NamedGroup::secp256r1;
    case 24: return NamedGroup::secp384r1;
    case 29: return NamedGroup::x25519;
    default: return std::nullopt;
  }
}

constexpr std::string_view named_group_name(NamedGroup g) {
  switch (g) {
    case NamedGroup::secp256r1: return "P-256";
    case NamedGroup::secp384r1: return "P-384";
    case NamedGroup::x25519: return "X25519";
  }
  return "unknown";
}

// Size of the public value on the wire (uncompressed point for the NIST curves).
constexpr size_t named_group_public_len(NamedGroup g) {
  switch (g) {
    case NamedGroup::secp256r1: return 65;
    case NamedGroup::secp384r1: return 97;
    case NamedGroup::x25519: return 32;
  }
  return 0;
}

}  // namespace tlsburst::handshake
