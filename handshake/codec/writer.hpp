// Appends an encoded message to a byte vector. Length prefixes are never written by hand: a
// prefixed field is filled by a child callback and its length is stored afterwards. A field
// longer than its prefix can express makes the writer fail (sticky), checked once by finish().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

class Writer {
 public:
  explicit Writer(std::vector<uint8_t>& out) noexcept : _out(&out) {}

  void put_u8(uint8_t v) { _out->push_back(v); }
  void put_u16(uint16_t v);
  void put_u24(uint32_t v);
  void put_bytes(std::span<const uint8_t> bytes);
  void put_bytes(std::string_view bytes);

  // Writes a `prefix_len`-byte (1..3) length, then whatever `fill(child)` appends, and stores the
  // child's length in the prefix. `fill` gets a Writer on the same buffer.
  template <class Fill>
  void put_prefixed(size_t prefix_len, Fill&& fill) {
    const size_t at = begin_prefix(prefix_len);
    Writer child(*_out);
    fill(child);
    _failed |= child._failed;
    end_prefix(at, prefix_len);
  }
  template <class Fill> void put_prefixed_u8(Fill&& fill) { put_prefixed(1, fill); }
  template <class Fill> void put_prefixed_u16(Fill&& fill) { put_prefixed(2, fill); }
  template <class Fill> void put_prefixed_u24(Fill&& fill) { put_prefixed(3, fill); }

  size_t size() const noexcept { return _out->size(); }
  bool ok() const noexcept { return !_failed; }
  // internal_error naming `what` if some field overflowed its length prefix.
  Status finish(std::string_view what) const;

 private:
  size_t begin_prefix(size_t prefix_len);
  void end_prefix(size_t at, size_t prefix_len);
  std::vector<uint8_t>* _out;
  bool _failed = false;
};

}  // namespace tlsburst::handshake
