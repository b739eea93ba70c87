// The reference backend of the record-layer tests: OpenSSL EVP AEADs with the TLS nonce and AAD
// rules written out here, independently of engine/record:
//   TLS 1.2 AES-GCM (RFC 5288): nonce = salt(4) || explicit_nonce(8), the explicit nonce carried
//     in front of the ciphertext; AAD = seq(8) || type(1) || version(2) || plaintext_len(2).
//   TLS 1.2 ChaCha20-Poly1305 (RFC 7905): nonce = iv(12) xor (0(4) || seq(8)); same 13-byte AAD.
//   TLS 1.3 (RFC 8446 5.2-5.3): inner = content || type || zeros(padding); outer type 23, version
//     0x0303; nonce = iv xor (0(4) || seq(8)); AAD = the 5-byte record header.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "engine/record/suite.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {

enum class AeadAlgorithm : uint8_t { aes_gcm, chacha20_poly1305 };

inline constexpr size_t aead_tag_len = 16;

// One-shot EVP AEAD with a 96-bit nonce and a 16-byte tag. Seal returns ciphertext || tag.
Bytes evp_seal(AeadAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
               std::span<const uint8_t> aad, std::span<const uint8_t> plaintext);
// `sealed` is ciphertext || tag; nullopt when the tag does not verify.
std::optional<Bytes> evp_open(AeadAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
                              std::span<const uint8_t> aad, std::span<const uint8_t> sealed);

AeadAlgorithm algorithm_of(Suite s);

// The per-record nonce: iv xor left-padded seq (TLS 1.3, TLS 1.2 ChaCha) or salt || explicit
// nonce (TLS 1.2 GCM, where `explicit_nonce` is used).
Bytes ref_nonce(Suite s, std::span<const uint8_t> iv, uint64_t seq, uint64_t explicit_nonce);
// The 13-byte TLS 1.2 AAD.
Bytes ref_tls12_aad(uint64_t seq, uint8_t type, uint16_t version, uint16_t plaintext_len);

// A well-formed record the way a conforming peer sends it. TLS 1.2 GCM uses `explicit_nonce`
// (default: the sequence number, like tlsburst).
Bytes ref_seal(const TestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> content,
               size_t padding_len = 0, std::optional<uint64_t> explicit_nonce = std::nullopt);

// TLS 1.3 record with any outer type and any inner plaintext (to craft malformed records whose tag
// verifies). The header's length field is computed; `version` goes into the header and AAD.
Bytes ref_seal_tls13_raw(const TestKeys& keys, uint64_t seq, uint8_t outer_type, std::span<const uint8_t> inner,
                         uint16_t version = 0x0303);
// TLS 1.2 record with any plaintext (no size check).
Bytes ref_seal_tls12_raw(const TestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> plaintext,
                         uint64_t explicit_nonce);

struct RefOpened {
  uint8_t type = 0;
  Bytes content;
  size_t padding_len = 0;  // TLS 1.3
};

// Opens a record the way RFC 5288/7905/8446 say a receiver must; nullopt on any failure
// (bad header, bad tag, TLS 1.3 inner plaintext of only zeros, sizes beyond the limits).
std::optional<RefOpened> ref_open(const TestKeys& keys, uint64_t seq, std::span<const uint8_t> record);

}  // namespace tlsburst::record::test
