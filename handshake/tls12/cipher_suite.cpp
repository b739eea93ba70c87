#include "handshake/tls12/cipher_suite.hpp"

namespace tlsburst::handshake {

std::optional<CipherSuite> cipher_suite_from_name(std::string_view name) {
  for (const CipherSuiteInfo& i : cipher_suite_table) {
    if (i.name == name || i.openssl_name == name) return i.suite;
  }
  return std::nullopt;
}

std::array<CipherSuite, num_cipher_suites> default_cipher_suite_order() {
  return {
      CipherSuite::ecdhe_ecdsa_aes_128_gcm_sha256,     CipherSuite::ecdhe_rsa_aes_128_gcm_sha256,
      CipherSuite::ecdhe_ecdsa_aes_256_gcm_sha384,     CipherSuite::ecdhe_rsa_aes_256_gcm_sha384,
      CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256,
      CipherSuite::ecdhe_ecdsa_aes_128_cbc_sha256,     CipherSuite::ecdhe_rsa_aes_128_cbc_sha256,
      CipherSuite::ecdhe_ecdsa_aes_256_cbc_sha384,     CipherSuite::ecdhe_rsa_aes_256_cbc_sha384,
      CipherSuite::ecdhe_ecdsa_aes_128_cbc_sha,        CipherSuite::ecdhe_rsa_aes_128_cbc_sha,
      CipherSuite::ecdhe_ecdsa_aes_256_cbc_sha,        CipherSuite::ecdhe_rsa_aes_256_cbc_sha,
      CipherSuite::rsa_aes_128_gcm_sha256,             CipherSuite::rsa_aes_256_gcm_sha384,
      CipherSuite::rsa_aes_128_cbc_sha256,             CipherSuite::rsa_aes_256_cbc_sha256,
      CipherSuite::rsa_aes_128_cbc_sha,                CipherSuite::rsa_aes_256_cbc_sha,
  };
}

}  // namespace tlsburst::handshake
