// A bounds-checked cursor over received bytes. Every read either succeeds or leaves the reader
// untouched and returns false; length-prefixed fields are read into sub-readers, and a parser
// ends with expect_empty() so trailing bytes are never silently accepted.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

class Reader {
 public:
  Reader() = default;
  explicit Reader(std::span<const uint8_t> bytes) noexcept : _bytes(bytes) {}

  size_t remaining() const noexcept { return _bytes.size(); }
  bool empty() const noexcept { return _bytes.empty(); }
  std::span<const uint8_t> rest() const noexcept { return _bytes; }

  [[nodiscard]] bool read_u8(uint8_t& out) noexcept;
  [[nodiscard]] bool read_u16(uint16_t& out) noexcept;
  [[nodiscard]] bool read_u24(uint32_t& out) noexcept;
  // `len` bytes, as a view into the underlying buffer.
  [[nodiscard]] bool read_bytes(size_t len, std::span<const uint8_t>& out) noexcept;
  template <size_t N>
  [[nodiscard]] bool read_array(std::array<uint8_t, N>& out) noexcept {
    std::span<const uint8_t> s;
    if (!read_bytes(N, s)) return false;
    for (size_t i = 0; i < N; ++i) out[i] = s[i];
    return true;
  }

  // A field preceded by a big-endian length of 1, 2 or 3 bytes: the sub-reader covers exactly
  // the field, and this reader moves past it.
  [[nodiscard]] bool read_prefixed_u8(Reader& sub) noexcept { return read_prefixed(1, sub); }
  [[nodiscard]] bool read_prefixed_u16(Reader& sub) noexcept { return read_prefixed(2, sub); }
  [[nodiscard]] bool read_prefixed_u24(Reader& sub) noexcept { return read_prefixed(3, sub); }

  // decode_error naming `what` unless every byte has been consumed.
  Status expect_empty(std::string_view what) const;

 private:
  [[nodiscard]] bool read_prefixed(size_t prefix_len, Reader& sub) noexcept;
  std::span<const uint8_t> _bytes;
};

// The error of a field that is truncated, overlong or out of range in message `what`.
Error decode_error(std::string_view what);

}  // namespace tlsburst::handshake
