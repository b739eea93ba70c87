// application_layer_protocol_negotiation (RFC 7301): the client's list of protocol names, the
// server's single choice.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/codec/writer.hpp"

namespace tlsburst::handshake {

// A validated ProtocolNameList (every name 1..255 bytes) as a view.
class AlpnList {
 public:
  AlpnList() = default;
  bool contains(std::string_view name) const noexcept;
  template <class F>
  void for_each(F&& f) const {
    size_t i = 0;
    while (i < _bytes.size()) {
      const size_t len = _bytes[i];
      f(std::string_view(reinterpret_cast<const char*>(_bytes.data() + i + 1), len));
      i += 1 + len;
    }
  }
  size_t size() const noexcept;

 private:
  friend Result<AlpnList> decode_alpn(std::span<const uint8_t> body);
  explicit AlpnList(std::span<const uint8_t> bytes) : _bytes(bytes) {}
  std::span<const uint8_t> _bytes;
};

// The client's list: decode_error when empty, when a name is empty or on trailing bytes.
Result<AlpnList> decode_alpn(std::span<const uint8_t> body);

// The server's answer: a list of exactly one name (decode_error otherwise).
Result<std::string_view> decode_alpn_selected(std::span<const uint8_t> body);

void put_alpn(Writer& w, std::span<const std::string> protocols);
void put_alpn_selected(Writer& w, std::string_view protocol);

}  // namespace tlsburst::handshake
