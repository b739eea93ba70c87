// The extensions field of a hello message (RFC 5246 7.4.1.4): a u16-prefixed list of
// (type, u16-prefixed body). Decoding rejects a second extension of the same type
// (illegal_parameter) and keeps every extension, known or not, as a view.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/codec/reader.hpp"
#include "handshake/codec/writer.hpp"
#include "handshake/extensions/extension_type.hpp"

namespace tlsburst::handshake {

struct RawExtension {
  uint16_t type = 0;
  std::span<const uint8_t> body;
};

class ExtensionBlock {
 public:
  // `list` covers the list's content (after its u16 length).
  static Result<ExtensionBlock> decode(Reader list);

  std::optional<std::span<const uint8_t>> find(ExtensionType type) const noexcept;
  const std::vector<RawExtension>& all() const noexcept { return _extensions; }

 private:
  std::vector<RawExtension> _extensions;
};

// Writes one extension: its type, then `fill` into a u16-prefixed body.
template <class Fill>
void put_extension(Writer& w, ExtensionType type, Fill&& fill) {
  w.put_u16(static_cast<uint16_t>(type));
  w.put_prefixed_u16(fill);
}

inline void put_empty_extension(Writer& w, ExtensionType type) {
  w.put_u16(static_cast<uint16_t>(type));
  w.put_u16(0);
}

// decode_error unless an extension that carries no data has an empty body.
Status expect_empty_extension(std::span<const uint8_t> body, std::string_view name);

}  // namespace tlsburst::handshake
