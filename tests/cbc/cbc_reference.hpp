// The reference backend of the CBC tests: an independent composition of OpenSSL's HMAC() and
// EVP AES-CBC (padding disabled) following the RFCs, written out here without engine/record code:
//   RFC 5246 6.2.3.2 (MAC-then-encrypt): MAC = HMAC(mac_key, seq(8) || type(1) || version(2) ||
//     length(2) || content); record = header || IV || CBC(IV, content || MAC || padding ||
//     padding_length), every padding byte equal to padding_length.
//   RFC 7366 (encrypt-then-MAC): record = header || IV || C || MAC with C = CBC(IV, content ||
//     padding || padding_length) and MAC = HMAC(mac_key, seq || type || version ||
//     length(IV || C) || IV || C); the header's length also counts the MAC.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/record/direction_keys.hpp"
#include "engine/record/suite.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {

// The five CBC suites of issue 3, in table order.
std::vector<Suite> cbc_suites();

struct CbcTestKeys {
  Suite suite;
  Bytes key;      // AES key
  Bytes mac_key;  // HMAC key
  bool encrypt_then_mac = false;
  DirectionKeys direction_keys(uint64_t initial_seq) const;
  static CbcTestKeys random(Suite suite, bool encrypt_then_mac, Rng& rng);
};

size_t cbc_mac_len(Suite s);

Bytes ref_hmac(Suite s, std::span<const uint8_t> mac_key, std::span<const uint8_t> data);
// AES-CBC without padding; data must be whole blocks.
Bytes ref_cbc(Suite s, std::span<const uint8_t> key, std::span<const uint8_t> iv, std::span<const uint8_t> data,
              bool encrypt);

// The 13-byte MAC pseudo-header.
Bytes ref_pseudo_header(uint64_t seq, uint8_t type, uint16_t version, uint16_t length);

// Padding lengths a conforming sender may choose for `content_len` bytes: every value <= 255 that
// fills the last block.
std::vector<uint32_t> valid_padding_lens(const CbcTestKeys& keys, size_t content_len);

// A well-formed record with padding length `pad` (must be one of valid_padding_lens).
Bytes ref_seal(const CbcTestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> content,
               uint32_t pad, std::span<const uint8_t> iv);

// A record whose CBC body (before encryption) is given as is: for crafting bad padding or MACs.
// For encrypt-then-MAC the record MAC is computed correctly over whatever the body encrypts to.
Bytes ref_seal_body(const CbcTestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> body,
                    std::span<const uint8_t> iv);

struct RefOpened {
  uint8_t type;
  Bytes content;
};
// Straightforward (not constant-time) open; nullopt for any bad padding, MAC or framing.
std::optional<RefOpened> ref_open(const CbcTestKeys& keys, uint64_t seq, std::span<const uint8_t> record);

}  // namespace tlsburst::record::test
