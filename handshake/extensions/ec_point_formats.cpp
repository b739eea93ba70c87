#include "handshake/extensions/ec_point_formats.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/extensions/extension_block.hpp"

namespace tlsburst::handshake {

Status decode_ec_point_formats(std::span<const uint8_t> body) {
  Reader r(body);
  Reader list;
  if (!r.read_prefixed_u8(list) || list.empty()) return decode_error("ec_point_formats");
  if (Status s = r.expect_empty("ec_point_formats"); !s) return s;
  for (uint8_t f : list.rest()) {
    if (f == point_format_uncompressed) return Status::success();
  }
  return make_error(Alert::illegal_parameter, "ec_point_formats: uncompressed not offered");
}

void put_ec_point_formats(Writer& w) {
  put_extension(w, ExtensionType::ec_point_formats, [](Writer& body) {
    body.put_prefixed_u8([](Writer& list) { list.put_u8(point_format_uncompressed); });
  });
}

}  // namespace tlsburst::handshake
