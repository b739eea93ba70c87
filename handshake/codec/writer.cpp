#include "handshake/codec/writer.hpp"

#include <string>

namespace tlsburst::handshake {

void Writer::put_u16(uint16_t v) {
  _out->push_back(static_cast<uint8_t>(v >> 8));
  _out->push_back(static_cast<uint8_t>(v));
}

void Writer::put_u24(uint32_t v) {
  if (v >= (1u << 24)) _failed = true;
  _out->push_back(static_cast<uint8_t>(v >> 16));
  _out->push_back(static_cast<uint8_t>(v >> 8));
  _out->push_back(static_cast<uint8_t>(v));
}

void Writer::put_bytes(std::span<const uint8_t> bytes) { _out->insert(_out->end(), bytes.begin(), bytes.end()); }

void Writer::put_bytes(std::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  _out->insert(_out->end(), p, p + bytes.size());
}

size_t Writer::begin_prefix(size_t prefix_len) {
  const size_t at = _out->size();
  _out->resize(at + prefix_len);
  return at;
}

void Writer::end_prefix(size_t at, size_t prefix_len) {
  const size_t len = _out->size() - at - prefix_len;
  if (prefix_len < 1 || prefix_len > 3 || len >= (size_t{1} << (8 * prefix_len))) {
    _failed = true;
    return;
  }
  for (size_t i = 0; i < prefix_len; ++i) {
    (*_out)[at + prefix_len - 1 - i] = static_cast<uint8_t>(len >> (8 * i));
  }
}

Status Writer::finish(std::string_view what) const {
  if (_failed) return make_error(Alert::internal_error, std::string(what) + ": field too long for its length prefix");
  return Status::success();
}

}  // namespace tlsburst::handshake
