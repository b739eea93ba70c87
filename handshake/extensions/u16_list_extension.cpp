#include "handshake/extensions/u16_list_extension.hpp"

#include "handshake/codec/reader.hpp"

namespace tlsburst::handshake {

Result<U16List> decode_u16_list(Reader& r, std::string_view name, bool allow_empty) {
  Reader list;
  if (!r.read_prefixed_u16(list) || list.remaining() % 2 != 0 || (!allow_empty && list.empty())) {
    return decode_error(name);
  }
  return U16List(list.rest());
}

Result<U16List> decode_u16_list_extension(std::span<const uint8_t> body, std::string_view name) {
  Reader r(body);
  auto list = decode_u16_list(r, name, false);
  if (!list) return list;
  if (Status s = r.expect_empty(name); !s) return s.error();
  return list;
}

}  // namespace tlsburst::handshake
