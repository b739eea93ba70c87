#include "handshake/extensions/alpn.hpp"

#include "handshake/codec/reader.hpp"
#include "handshake/extensions/extension_block.hpp"

namespace tlsburst::handshake {

bool AlpnList::contains(std::string_view name) const noexcept {
  bool found = false;
  for_each([&](std::string_view n) { found |= n == name; });
  return found;
}

size_t AlpnList::size() const noexcept {
  size_t n = 0;
  for_each([&](std::string_view) { ++n; });
  return n;
}

Result<AlpnList> decode_alpn(std::span<const uint8_t> body) {
  Reader r(body);
  Reader list;
  if (!r.read_prefixed_u16(list) || list.empty()) return decode_error("alpn");
  if (Status s = r.expect_empty("alpn"); !s) return s.error();
  const auto bytes = list.rest();
  while (!list.empty()) {
    Reader name;
    if (!list.read_prefixed_u8(name) || name.empty()) return decode_error("alpn protocol name");
  }
  return AlpnList(bytes);
}

Result<std::string_view> decode_alpn_selected(std::span<const uint8_t> body) {
  Reader r(body);
  Reader list;
  Reader name;
  if (!r.read_prefixed_u16(list) || !list.read_prefixed_u8(name) || name.empty()) return decode_error("alpn");
  if (Status s = list.expect_empty("alpn: more than one protocol selected"); !s) return s.error();
  if (Status s = r.expect_empty("alpn"); !s) return s.error();
  const auto bytes = name.rest();
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

void put_alpn(Writer& w, std::span<const std::string> protocols) {
  put_extension(w, ExtensionType::alpn, [&](Writer& body) {
    body.put_prefixed_u16([&](Writer& list) {
      for (const std::string& p : protocols) list.put_prefixed_u8([&](Writer& n) { n.put_bytes(p); });
    });
  });
}

void put_alpn_selected(Writer& w, std::string_view protocol) {
  put_extension(w, ExtensionType::alpn, [&](Writer& body) {
    body.put_prefixed_u16([&](Writer& list) { list.put_prefixed_u8([&](Writer& n) { n.put_bytes(protocol); }); });
  });
}

}  // namespace tlsburst::handshake
