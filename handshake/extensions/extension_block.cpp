#include "handshake/extensions/extension_block.hpp"

#include <algorithm>
#include <string>

namespace tlsburst::handshake {

Result<ExtensionBlock> ExtensionBlock::decode(Reader list) {
  ExtensionBlock block;
  block._extensions.reserve(list.remaining() / 4);
  while (!list.empty()) {
    RawExtension e;
    Reader body;
    if (!list.read_u16(e.type) || !list.read_prefixed_u16(body)) return decode_error("extensions");
    e.body = body.rest();
    block._extensions.push_back(e);
  }
  // Duplicates: sort a copy of the types (n log n: a hello may carry thousands of extensions).
  std::vector<uint16_t> types;
  types.reserve(block._extensions.size());
  for (const RawExtension& e : block._extensions) types.push_back(e.type);
  std::sort(types.begin(), types.end());
  if (std::adjacent_find(types.begin(), types.end()) != types.end()) {
    return make_error(Alert::illegal_parameter, "extensions: duplicate extension type");
  }
  return block;
}

std::optional<std::span<const uint8_t>> ExtensionBlock::find(ExtensionType type) const noexcept {
  for (const RawExtension& e : _extensions) {
    if (e.type == static_cast<uint16_t>(type)) return e.body;
  }
  return std::nullopt;
}

Status expect_empty_extension(std::span<const uint8_t> body, std::string_view name) {
  if (!body.empty()) return make_error(Alert::decode_error, std::string(name) + ": extension must be empty");
  return Status::success();
}

}  // namespace tlsburst::handshake
