#include "handshake/extensions/renegotiation_info.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/extensions/extension_block.hpp"

namespace tlsburst::handshake {

Result<std::span<const uint8_t>> decode_renegotiation_info(std::span<const uint8_t> body) {
  Reader r(body);
  Reader field;
  if (!r.read_prefixed_u8(field)) return decode_error("renegotiation_info");
  if (Status s = r.expect_empty("renegotiation_info"); !s) return s.error();
  return field.rest();
}

void put_renegotiation_info(Writer& w) {
  put_extension(w, ExtensionType::renegotiation_info, [](Writer& body) { body.put_prefixed_u8([](Writer&) {}); });
}

}  // namespace tlsburst::handshake
