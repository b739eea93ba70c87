// OpenSSL EVP ciphers for the AEAD suites (the OpenSSL contender and the reference backend).
#pragma once

#include <openssl/evp.h>

#include "engine/record/suite.hpp"

namespace tlsburst::bench {

// The EVP AEAD cipher of `suite`, or nullptr for suites that are not AEAD.
inline const EVP_CIPHER* evp_aead_cipher(record::Suite suite) {
  const record::SuiteInfo& info = record::suite_info(suite);
  switch (info.family) {
    case record::CipherFamily::aes_gcm: return info.key_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
    case record::CipherFamily::chacha20_poly1305: return EVP_chacha20_poly1305();
    case record::CipherFamily::aes_cbc_hmac: return nullptr;
  }
  return nullptr;
}

}  // namespace tlsburst::bench
