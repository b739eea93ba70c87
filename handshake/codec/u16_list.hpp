// A validated view of a list of big-endian 16-bit values (cipher suites, groups, signature
// schemes) inside a received message: no copy, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tlsburst::handshake {

class U16List {
 public:
  U16List() = default;
  // `bytes` must have an even length (the decoders check before constructing).
  explicit U16List(std::span<const uint8_t> bytes) noexcept : _bytes(bytes) {}

  size_t size() const noexcept { return _bytes.size() / 2; }
  bool empty() const noexcept { return _bytes.empty(); }
  uint16_t operator[](size_t i) const noexcept {
    return static_cast<uint16_t>((_bytes[2 * i] << 8) | _bytes[2 * i + 1]);
  }
  bool contains(uint16_t v) const noexcept {
    for (size_t i = 0; i < size(); ++i) {
      if ((*this)[i] == v) return true;
    }
    return false;
  }
  std::span<const uint8_t> bytes() const noexcept { return _bytes; }

 private:
  std::span<const uint8_t> _bytes;
};

}  // namespace tlsburst::handshake
