// The record-protection suites tlsburst implements, as a constant table: sizes, record format and
// usage limits live with the algorithm (one row per suite).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tlsburst::record {

enum class ProtocolVersion : uint16_t { tls12 = 0x0303, tls13 = 0x0304 };

enum class CipherFamily : uint8_t { aes_gcm, chacha20_poly1305, aes_cbc_hmac };

enum class MacAlgorithm : uint8_t { none, hmac_sha1, hmac_sha256, hmac_sha384 };

enum class Suite : uint8_t {
  tls12_aes_128_gcm,               // RFC 5288
  tls12_aes_256_gcm,               // RFC 5288
  tls12_chacha20_poly1305,         // RFC 7905
  tls13_aes_128_gcm_sha256,        // RFC 8446
  tls13_aes_256_gcm_sha384,        // RFC 8446
  tls13_chacha20_poly1305_sha256,  // RFC 8446
  tls12_aes_128_cbc_sha,           // RFC 5246 MAC-then-encrypt (or RFC 7366 encrypt-then-MAC)
  tls12_aes_256_cbc_sha,
  tls12_aes_128_cbc_sha256,
  tls12_aes_256_cbc_sha256,
  tls12_aes_256_cbc_sha384,
};
inline constexpr size_t num_suites = 11;

struct SuiteInfo {
  Suite suite;
  std::string_view name;
  ProtocolVersion version;
  CipherFamily family;
  MacAlgorithm mac;
  uint8_t key_len;        // cipher key
  uint8_t fixed_iv_len;   // implicit IV / salt from the key block
  uint8_t record_iv_len;  // explicit nonce or CBC IV carried in each record
  uint8_t tag_len;        // AEAD tag, or HMAC output for CBC suites
  uint8_t mac_key_len;    // HMAC key (CBC suites only)
  uint8_t block_len;      // cipher block (CBC) or 1 (AEAD)
  uint64_t max_records;   // records one key may protect; sealing or opening beyond is refused
};

// RFC 8446 5.5: AES-GCM keys protect at most 2^24.5 full-size records (rounded down).
inline constexpr uint64_t tls13_aes_gcm_record_limit = 23726566;
// TLS 1.2 (and ChaCha20-Poly1305 in TLS 1.3): the 64-bit sequence number may not wrap.
inline constexpr uint64_t seq_wrap_record_limit = ~uint64_t{0};

inline constexpr std::array<SuiteInfo, num_suites> suite_table{{
    {Suite::tls12_aes_128_gcm, "TLS1.2-AES-128-GCM", ProtocolVersion::tls12, CipherFamily::aes_gcm,
     MacAlgorithm::none, 16, 4, 8, 16, 0, 1, seq_wrap_record_limit},
    {Suite::tls12_aes_256_gcm, "TLS1.2-AES-256-GCM", ProtocolVersion::tls12, CipherFamily::aes_gcm,
     MacAlgorithm::none, 32, 4, 8, 16, 0, 1, seq_wrap_record_limit},
    {Suite::tls12_chacha20_poly1305, "TLS1.2-CHACHA20-POLY1305", ProtocolVersion::tls12,
     CipherFamily::chacha20_poly1305, MacAlgorithm::none, 32, 12, 0, 16, 0, 1, seq_wrap_record_limit},
    {Suite::tls13_aes_128_gcm_sha256, "TLS1.3-AES-128-GCM-SHA256", ProtocolVersion::tls13,
     CipherFamily::aes_gcm, MacAlgorithm::none, 16, 12, 0, 16, 0, 1, tls13_aes_gcm_record_limit},
    {Suite::tls13_aes_256_gcm_sha384, "TLS1.3-AES-256-GCM-SHA384", ProtocolVersion::tls13,
     CipherFamily::aes_gcm, MacAlgorithm::none, 32, 12, 0, 16, 0, 1, tls13_aes_gcm_record_limit},
    {Suite::tls13_chacha20_poly1305_sha256, "TLS1.3-CHACHA20-POLY1305-SHA256", ProtocolVersion::tls13,
     CipherFamily::chacha20_poly1305, MacAlgorithm::none, 32, 12, 0, 16, 0, 1, seq_wrap_record_limit},
    {Suite::tls12_aes_128_cbc_sha, "TLS1.2-AES-128-CBC-SHA", ProtocolVersion::tls12,
     CipherFamily::aes_cbc_hmac, MacAlgorithm::hmac_sha1, 16, 0, 16, 20, 20, 16, seq_wrap_record_limit},
    {Suite::tls12_aes_256_cbc_sha, "TLS1.2-AES-256-CBC-SHA", ProtocolVersion::tls12,
     CipherFamily::aes_cbc_hmac, MacAlgorithm::hmac_sha1, 32, 0, 16, 20, 20, 16, seq_wrap_record_limit},
    {Suite::tls12_aes_128_cbc_sha256, "TLS1.2-AES-128-CBC-SHA256", ProtocolVersion::tls12,
     CipherFamily::aes_cbc_hmac, MacAlgorithm::hmac_sha256, 16, 0, 16, 32, 32, 16, seq_wrap_record_limit},
    {Suite::tls12_aes_256_cbc_sha256, "TLS1.2-AES-256-CBC-SHA256", ProtocolVersion::tls12,
     CipherFamily::aes_cbc_hmac, MacAlgorithm::hmac_sha256, 32, 0, 16, 32, 32, 16, seq_wrap_record_limit},
    {Suite::tls12_aes_256_cbc_sha384, "TLS1.2-AES-256-CBC-SHA384", ProtocolVersion::tls12,
     CipherFamily::aes_cbc_hmac, MacAlgorithm::hmac_sha384, 32, 0, 16, 48, 48, 16, seq_wrap_record_limit},
}};

constexpr const SuiteInfo& suite_info(Suite s) { return suite_table[static_cast<size_t>(s)]; }
constexpr std::string_view suite_name(Suite s) { return suite_info(s).name; }
constexpr bool is_tls13(Suite s) { return suite_info(s).version == ProtocolVersion::tls13; }
constexpr bool is_aead(Suite s) { return suite_info(s).family != CipherFamily::aes_cbc_hmac; }

// Bytes in front of the plaintext that sealing fills: the record header plus any explicit nonce/IV.
// The plaintext to seal starts at data + header_room(s); opened plaintext is left there too.
constexpr size_t header_room(Suite s) { return 5 + suite_info(s).record_iv_len; }

// Bytes after the plaintext that sealing may write, for a TLS 1.3 padding of `padding_len`.
// CBC suites: MAC plus up to 256 bytes of TLS padding.
constexpr size_t tail_room(Suite s, size_t padding_len = 0) {
  const SuiteInfo& i = suite_info(s);
  if (i.family == CipherFamily::aes_cbc_hmac) return i.tag_len + 256;
  return i.tag_len + (i.version == ProtocolVersion::tls13 ? 1 + padding_len : 0);
}

std::optional<Suite> suite_from_name(std::string_view name);

}  // namespace tlsburst::record
