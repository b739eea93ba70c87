// TLS record wire format: content types, header layout and the size limits of RFC 5246 6.2 and
// RFC 8446 5.1/5.2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tlsburst::record {

enum class ContentType : uint8_t {
  invalid = 0,
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

inline constexpr size_t header_len = 5;                   // type(1) version(2) length(2)
inline constexpr size_t max_plaintext_len = 1u << 14;     // 2^14
inline constexpr size_t tls13_max_ciphertext_len = max_plaintext_len + 256;   // RFC 8446 5.2
inline constexpr size_t tls12_max_ciphertext_len = max_plaintext_len + 2048;  // RFC 5246 6.2.3
inline constexpr uint16_t legacy_record_version = 0x0303;

inline uint16_t load_be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
inline void store_be16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void store_be64(uint8_t* p, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}
inline uint64_t load_be64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}

inline void write_header(uint8_t* p, ContentType type, uint16_t version, uint16_t fragment_len) {
  p[0] = static_cast<uint8_t>(type);
  store_be16(p + 1, version);
  store_be16(p + 3, fragment_len);
}

}  // namespace tlsburst::record
