#include "handshake/extensions/server_name.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

#include "handshake/codec/reader.hpp"
#include "handshake/extensions/extension_block.hpp"

namespace tlsburst::handshake {

namespace {
constexpr uint8_t name_type_host_name = 0;
}

Result<std::string_view> decode_server_name(std::span<const uint8_t> body) {
  Reader r(body);
  Reader list;
  if (!r.read_prefixed_u16(list) || list.empty()) return decode_error("server_name");
  if (Status s = r.expect_empty("server_name"); !s) return s.error();
  std::string_view host;
  bool have_host = false;
  while (!list.empty()) {
    uint8_t type = 0;
    Reader name;
    if (!list.read_u8(type) || !list.read_prefixed_u16(name)) return decode_error("server_name");
    if (type != name_type_host_name) continue;  // other name types: ignored
    if (have_host) return make_error(Alert::decode_error, "server_name: two host names");
    if (name.empty() || name.remaining() > max_host_name_len) return decode_error("server_name host_name");
    const auto bytes = name.rest();
    for (uint8_t c : bytes) {
      if (c == 0) return make_error(Alert::illegal_parameter, "server_name: NUL in host name");
    }
    host = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    have_host = true;
  }
  if (!have_host) return make_error(Alert::decode_error, "server_name: no host name");
  return host;
}

bool is_ip_literal(std::string_view name) {
  if (name.empty() || name.size() >= INET6_ADDRSTRLEN) return false;
  const std::string s(name);
  uint8_t buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

void put_server_name(Writer& w, std::string_view host_name) {
  put_extension(w, ExtensionType::server_name, [&](Writer& body) {
    body.put_prefixed_u16([&](Writer& list) {
      list.put_u8(name_type_host_name);
      list.put_prefixed_u16([&](Writer& name) { name.put_bytes(host_name); });
    });
  });
}

}  // namespace tlsburst::handshake
