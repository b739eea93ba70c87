// An independent TLS record implementation on OpenSSL libcrypto (EVP, HMAC), used by the engine
// tests to check what the engine sealed and to make records for it to open. It follows the RFCs
// directly and shares no code with the record layer:
//   TLS 1.3 AEAD (RFC 8446 5.2-5.3): nonce = iv ^ seq, AAD = the record header, inner type + padding.
//   TLS 1.2 AES-GCM (RFC 5288): nonce = salt || explicit 8 bytes carried in the record;
//   TLS 1.2 ChaCha20-Poly1305 (RFC 7905): nonce = iv ^ seq; both with AAD = seq || type || version ||
//     length.
//   TLS 1.2 CBC (RFC 5246 6.2.3.2): MAC-then-encrypt with TLS padding, or encrypt-then-MAC (RFC 7366).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/record/direction_keys.hpp"
#include "engine/record/record_format.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::engine::test {

using Bytes = std::vector<uint8_t>;

struct OpenedRecord {
  record::ContentType type = record::ContentType::invalid;
  Bytes plaintext;
};

// Opens one whole record (header included) protected with `keys` at sequence number `seq`;
// nullopt when it does not authenticate or is malformed.
std::optional<OpenedRecord> reference_open(const record::DirectionKeys& keys, uint64_t seq,
                                           std::span<const uint8_t> record);

// Seals `plaintext` as one record at `seq`. `explicit_iv` supplies the per-record IV of TLS 1.2
// GCM (8 bytes) and CBC (16 bytes) suites; `padding_len` adds TLS 1.3 zero padding.
Bytes reference_seal(const record::DirectionKeys& keys, uint64_t seq, record::ContentType type,
                     std::span<const uint8_t> plaintext, std::span<const uint8_t> explicit_iv = {},
                     size_t padding_len = 0);

// Random keys for `suite` from a seeded generator (tests only).
record::DirectionKeys random_keys(record::Suite suite, uint64_t seed, bool encrypt_then_mac = false);

}  // namespace tlsburst::engine::test
