#include "handshake/codec/reader.hpp"

#include <string>

namespace tlsburst::handshake {

bool Reader::read_u8(uint8_t& out) noexcept {
  if (_bytes.empty()) return false;
  out = _bytes[0];
  _bytes = _bytes.subspan(1);
  return true;
}

bool Reader::read_u16(uint16_t& out) noexcept {
  if (_bytes.size() < 2) return false;
  out = static_cast<uint16_t>((_bytes[0] << 8) | _bytes[1]);
  _bytes = _bytes.subspan(2);
  return true;
}

bool Reader::read_u24(uint32_t& out) noexcept {
  if (_bytes.size() < 3) return false;
  out = (uint32_t{_bytes[0]} << 16) | (uint32_t{_bytes[1]} << 8) | _bytes[2];
  _bytes = _bytes.subspan(3);
  return true;
}

bool Reader::read_bytes(size_t len, std::span<const uint8_t>& out) noexcept {
  if (_bytes.size() < len) return false;
  out = _bytes.first(len);
  _bytes = _bytes.subspan(len);
  return true;
}

bool Reader::read_prefixed(size_t prefix_len, Reader& sub) noexcept {
  if (_bytes.size() < prefix_len) return false;
  size_t len = 0;
  for (size_t i = 0; i < prefix_len; ++i) len = (len << 8) | _bytes[i];
  if (_bytes.size() - prefix_len < len) return false;
  sub = Reader(_bytes.subspan(prefix_len, len));
  _bytes = _bytes.subspan(prefix_len + len);
  return true;
}

Status Reader::expect_empty(std::string_view what) const {
  if (!_bytes.empty()) return make_error(Alert::decode_error, std::string(what) + ": trailing bytes");
  return Status::success();
}

Error decode_error(std::string_view what) {
  return make_error(Alert::decode_error, std::string(what) + ": malformed or truncated");
}

}  // namespace tlsburst::handshake
