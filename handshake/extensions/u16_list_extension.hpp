// Extensions whose body is one u16-prefixed, non-empty list of u16 values: supported_groups
// (RFC 8422 5.1.1) and signature_algorithms (RFC 5246 7.4.1.4.1).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/common/result.hpp"
#include "handshake/codec/reader.hpp"
#include "handshake/codec/u16_list.hpp"
#include "handshake/codec/writer.hpp"
#include "handshake/extensions/extension_type.hpp"

namespace tlsburst::handshake {

// decode_error on an empty list, an odd length or trailing bytes.
Result<U16List> decode_u16_list_extension(std::span<const uint8_t> body, std::string_view name);

// Reads a u16-prefixed list of u16 values (also used inside CertificateRequest).
Result<U16List> decode_u16_list(Reader& r, std::string_view name, bool allow_empty);

template <class T>
void put_u16_list_extension(Writer& w, ExtensionType type, std::span<const T> values) {
  w.put_u16(static_cast<uint16_t>(type));
  w.put_prefixed_u16([&](Writer& body) {
    body.put_prefixed_u16([&](Writer& list) {
      for (T v : values) list.put_u16(static_cast<uint16_t>(v));
    });
  });
}

}  // namespace tlsburst::handshake
