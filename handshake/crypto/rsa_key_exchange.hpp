// Static RSA key exchange (RFC 5246 7.4.7.1): the client encrypts a 48-byte premaster
// (client_version || 46 random bytes) to the server's certificate key; the server decrypts it.
//
// Server side, the Bleichenbacher countermeasure: any decryption, padding, length or version
// failure continues with a random premaster, with no observable difference (the handshake then
// fails at Finished). libcrypto's RSA_PKCS1_WITH_TLS_PADDING mode does the constant-time check and
// selection.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <openssl/evp.h>

#include "engine/common/result.hpp"
#include "handshake/crypto/key_schedule.hpp"

namespace tlsburst::handshake {

inline constexpr size_t rsa_premaster_len = 48;

// Server: the premaster to continue with. Fails only on local errors (no randomness).
Result<PreMasterSecret> rsa_decrypt_premaster(EVP_PKEY* private_key, std::span<const uint8_t> encrypted,
                                              uint16_t client_hello_version);

struct RsaEncryptedPremaster {
  PreMasterSecret premaster;
  std::vector<uint8_t> encrypted;
};

// Client: a fresh premaster for `client_hello_version` and its encryption to `server_key`.
Result<RsaEncryptedPremaster> rsa_encrypt_premaster(EVP_PKEY* server_key, uint16_t client_hello_version);

}  // namespace tlsburst::handshake
