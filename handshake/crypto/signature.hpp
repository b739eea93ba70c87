// Signing and verifying handshake signatures (ServerKeyExchange, CertificateVerify) with
// libcrypto, for the SignatureSchemes of signature_scheme.hpp.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <vector>

#include <openssl/evp.h>

#include "engine/common/result.hpp"
#include "handshake/crypto/signature_scheme.hpp"

namespace tlsburst::handshake {

// The key's type, or nullopt for keys tlsburst does not sign with (DSA, Ed25519, ...).
std::optional<KeyType> key_type_of(const EVP_PKEY* key);

// Whether `key` can make or check signatures of `scheme` (type match; PSS "rsae" schemes use
// rsaEncryption keys).
bool key_matches_scheme(const EVP_PKEY* key, SignatureScheme scheme);

// Signs the concatenation of `parts`.
Result<std::vector<uint8_t>> sign(EVP_PKEY* key, SignatureScheme scheme,
                                  std::initializer_list<std::span<const uint8_t>> parts);

// decrypt_error unless `signature` is a valid signature of the concatenation of `parts`.
Status verify(EVP_PKEY* key, SignatureScheme scheme, std::initializer_list<std::span<const uint8_t>> parts,
              std::span<const uint8_t> signature);

}  // namespace tlsburst::handshake
