// The TLS 1.2 cipher suites tlsburst negotiates, as one constant table: key exchange,
// authentication, the record-layer suite that protects the records, and the PRF hash.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "engine/record/suite.hpp"
#include "handshake/crypto/hash_algorithm.hpp"
#include "handshake/crypto/signature_scheme.hpp"

namespace tlsburst::handshake {

enum class CipherSuite : uint16_t {
  ecdhe_ecdsa_aes_128_gcm_sha256 = 0xc02b,
  ecdhe_ecdsa_aes_256_gcm_sha384 = 0xc02c,
  ecdhe_rsa_aes_128_gcm_sha256 = 0xc02f,
  ecdhe_rsa_aes_256_gcm_sha384 = 0xc030,
  ecdhe_rsa_chacha20_poly1305_sha256 = 0xcca8,
  ecdhe_ecdsa_chacha20_poly1305_sha256 = 0xcca9,
  rsa_aes_128_gcm_sha256 = 0x009c,
  rsa_aes_256_gcm_sha384 = 0x009d,
  ecdhe_ecdsa_aes_128_cbc_sha = 0xc009,
  ecdhe_ecdsa_aes_256_cbc_sha = 0xc00a,
  ecdhe_rsa_aes_128_cbc_sha = 0xc013,
  ecdhe_rsa_aes_256_cbc_sha = 0xc014,
  ecdhe_ecdsa_aes_128_cbc_sha256 = 0xc023,
  ecdhe_ecdsa_aes_256_cbc_sha384 = 0xc024,
  ecdhe_rsa_aes_128_cbc_sha256 = 0xc027,
  ecdhe_rsa_aes_256_cbc_sha384 = 0xc028,
  rsa_aes_128_cbc_sha = 0x002f,
  rsa_aes_256_cbc_sha = 0x0035,
  rsa_aes_128_cbc_sha256 = 0x003c,
  rsa_aes_256_cbc_sha256 = 0x003d,
};

// Signalling values in the cipher_suites list (never selected).
inline constexpr uint16_t empty_renegotiation_info_scsv = 0x00ff;  // RFC 5746 3.3
inline constexpr uint16_t fallback_scsv = 0x5600;                  // RFC 7507

enum class KeyExchange : uint8_t { ecdhe, rsa };

struct CipherSuiteInfo {
  CipherSuite suite;
  std::string_view name;          // IANA name
  std::string_view openssl_name;  // OpenSSL's name (for tests and logs)
  KeyExchange key_exchange;
  KeyType authentication;         // certificate key type
  record::Suite record_suite;
  HashAlgorithm prf_hash;
};

inline constexpr size_t num_cipher_suites = 20;

inline constexpr std::array<CipherSuiteInfo, num_cipher_suites> cipher_suite_table{{
    {CipherSuite::ecdhe_ecdsa_aes_128_gcm_sha256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", KeyExchange::ecdhe, KeyType::ecdsa, record::Suite::tls12_aes_128_gcm, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_ecdsa_aes_256_gcm_sha384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", KeyExchange::ecdhe, KeyType::ecdsa, record::Suite::tls12_aes_256_gcm, HashAlgorithm::sha384},
    {CipherSuite::ecdhe_rsa_aes_128_gcm_sha256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", KeyExchange::ecdhe, KeyType::rsa, record::Suite::tls12_aes_128_gcm, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_rsa_aes_256_gcm_sha384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", KeyExchange::ecdhe, KeyType::rsa, record::Suite::tls12_aes_256_gcm, HashAlgorithm::sha384},
    {CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305", KeyExchange::ecdhe, KeyType::rsa, record::Suite::tls12_chacha20_poly1305, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305", KeyExchange::ecdhe, KeyType::ecdsa, record::Suite::tls12_chacha20_poly1305, HashAlgorithm::sha256},
    {CipherSuite::rsa_aes_128_gcm_sha256, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", KeyExchange::rsa, KeyType::rsa, record::Suite::tls12_aes_128_gcm, HashAlgorithm::sha256},
    {CipherSuite::rsa_aes_256_gcm_sha384, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", KeyExchange::rsa, KeyType::rsa, record::Suite::tls12_aes_256_gcm, HashAlgorithm::sha384},
    {CipherSuite::ecdhe_ecdsa_aes_128_cbc_sha, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", KeyExchange::ecdhe, KeyType::ecdsa, record::Suite::tls12_aes_128_cbc_sha, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_ecdsa_aes_256_cbc_sha, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", KeyExchange::ecdhe, KeyType::ecdsa, record::Suite::tls12_aes_256_cbc_sha, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_rsa_aes_128_cbc_sha, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", KeyExchange::ecdhe, KeyType::rsa, record::Suite::tls12_aes_128_cbc_sha, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_rsa_aes_256_cbc_sha, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", KeyExchange::ecdhe, KeyType::rsa, record::Suite::tls12_aes_256_cbc_sha, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_ecdsa_aes_128_cbc_sha256, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", KeyExchange::ecdhe, KeyType::ecdsa, record::Suite::tls12_aes_128_cbc_sha256, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_ecdsa_aes_256_cbc_sha384, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", KeyExchange::ecdhe, KeyType::ecdsa, record::Suite::tls12_aes_256_cbc_sha384, HashAlgorithm::sha384},
    {CipherSuite::ecdhe_rsa_aes_128_cbc_sha256, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", KeyExchange::ecdhe, KeyType::rsa, record::Suite::tls12_aes_128_cbc_sha256, HashAlgorithm::sha256},
    {CipherSuite::ecdhe_rsa_aes_256_cbc_sha384, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", KeyExchange::ecdhe, KeyType::rsa, record::Suite::tls12_aes_256_cbc_sha384, HashAlgorithm::sha384},
    {CipherSuite::rsa_aes_128_cbc_sha, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", KeyExchange::rsa, KeyType::rsa, record::Suite::tls12_aes_128_cbc_sha, HashAlgorithm::sha256},
    {CipherSuite::rsa_aes_256_cbc_sha, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", KeyExchange::rsa, KeyType::rsa, record::Suite::tls12_aes_256_cbc_sha, HashAlgorithm::sha256},
    {CipherSuite::rsa_aes_128_cbc_sha256, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", KeyExchange::rsa, KeyType::rsa, record::Suite::tls12_aes_128_cbc_sha256, HashAlgorithm::sha256},
    {CipherSuite::rsa_aes_256_cbc_sha256, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", KeyExchange::rsa, KeyType::rsa, record::Suite::tls12_aes_256_cbc_sha256, HashAlgorithm::sha256},
}};

constexpr const CipherSuiteInfo* cipher_suite_info(uint16_t wire) {
  for (const CipherSuiteInfo& i : cipher_suite_table) {
    if (static_cast<uint16_t>(i.suite) == wire) return &i;
  }
  return nullptr;
}

constexpr const CipherSuiteInfo& cipher_suite_info(CipherSuite s) { return *cipher_suite_info(static_cast<uint16_t>(s)); }

constexpr bool is_cbc(CipherSuite s) { return !record::is_aead(cipher_suite_info(s).record_suite); }

std::optional<CipherSuite> cipher_suite_from_name(std::string_view iana_or_openssl_name);

// Default server preference: forward secrecy first, then AEAD strength; static-RSA key exchange
// and CBC suites last.
std::array<CipherSuite, num_cipher_suites> default_cipher_suite_order();

}  // namespace tlsburst::handshake
