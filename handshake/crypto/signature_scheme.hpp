// TLS 1.2 SignatureAndHashAlgorithm values (RFC 5246 7.4.1.4.1, RFC 8446 4.2.3 for PSS) that
// tlsburst signs and verifies. SHA-1 and the legacy schemes are not offered or accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tlsburst::handshake {

enum class SignatureScheme : uint16_t {
  rsa_pkcs1_sha256 = 0x0401,
  rsa_pkcs1_sha384 = 0x0501,
  rsa_pkcs1_sha512 = 0x0601,
  ecdsa_secp256r1_sha256 = 0x0403,  // in TLS 1.2: ECDSA with SHA-256, any curve
  ecdsa_secp384r1_sha384 = 0x0503,
  ecdsa_secp521r1_sha512 = 0x0603,
  rsa_pss_rsae_sha256 = 0x0804,
  rsa_pss_rsae_sha384 = 0x0805,
  rsa_pss_rsae_sha512 = 0x0806,
};

enum class KeyType : uint8_t { rsa, ecdsa };
enum class SignatureHash : uint8_t { sha256, sha384, sha512 };
enum class SignaturePadding : uint8_t { none, pkcs1, pss };

struct SignatureSchemeInfo {
  SignatureScheme scheme;
  KeyType key_type;
  SignatureHash hash;
  SignaturePadding padding;
  std::string_view name;
};

constexpr std::optional<SignatureSchemeInfo> signature_scheme_info(uint16_t wire) {
  switch (wire) {
    case 0x0401: return SignatureSchemeInfo{SignatureScheme::rsa_pkcs1_sha256, KeyType::rsa, SignatureHash::sha256, SignaturePadding::pkcs1, "rsa_pkcs1_sha256"};
    case 0x0501: return SignatureSchemeInfo{SignatureScheme::rsa_pkcs1_sha384, KeyType::rsa, SignatureHash::sha384, SignaturePadding::pkcs1, "rsa_pkcs1_sha384"};
    case 0x0601: return SignatureSchemeInfo{SignatureScheme::rsa_pkcs1_sha512, KeyType::rsa, SignatureHash::sha512, SignaturePadding::pkcs1, "rsa_pkcs1_sha512"};
    case 0x0403: return SignatureSchemeInfo{SignatureScheme::ecdsa_secp256r1_sha256, KeyType::ecdsa, SignatureHash::sha256, SignaturePadding::none, "ecdsa_sha256"};
    case 0x0503: return SignatureSchemeInfo{SignatureScheme::ecdsa_secp384r1_sha384, KeyType::ecdsa, SignatureHash::sha384, SignaturePadding::none, "ecdsa_sha384"};
    case 0x0603: return SignatureSchemeInfo{SignatureScheme::ecdsa_secp521r1_sha512, KeyType::ecdsa, SignatureHash::sha512, SignaturePadding::none, "ecdsa_sha512"};
    case 0x0804: return SignatureSchemeInfo{SignatureScheme::rsa_pss_rsae_sha256, KeyType::rsa, SignatureHash::sha256, SignaturePadding::pss, "rsa_pss_rsae_sha256"};
    case 0x0805: return SignatureSchemeInfo{SignatureScheme::rsa_pss_rsae_sha384, KeyType::rsa, SignatureHash::sha384, SignaturePadding::pss, "rsa_pss_rsae_sha384"};
    case 0x0806: return SignatureSchemeInfo{SignatureScheme::rsa_pss_rsae_sha512, KeyType::rsa, SignatureHash::sha512, SignaturePadding::pss, "rsa_pss_rsae_sha512"};
    default: return std::nullopt;
  }
}

constexpr SignatureSchemeInfo signature_scheme_info(SignatureScheme s) {
  return *signature_scheme_info(static_cast<uint16_t>(s));
}

}  // namespace tlsburst::handshake
