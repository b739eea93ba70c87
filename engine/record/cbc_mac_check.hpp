// Internal: the constant-time half of opening a TLS 1.2 MAC-then-encrypt CBC record (RFC 5246
// 6.2.3.2), after the CBC decryption: padding check, HMAC over the secret-length content and
// comparison with the MAC carried in the record.
//
// The padding length is secret (Lucky Thirteen, AlFardan and Paterson 2013). Nothing here branches on
// it or indexes memory with it: validity is computed with masks, the HMAC's inner hash runs a number
// of compression-function calls fixed by the record length (the blocks that are in the MAC input for
// every padding length are hashed as a public prefix, the last candidate blocks are built with masks
// and the digest of the right one is selected with masks), and the received MAC is extracted with a
// masked rotation. The compression function is OpenSSL libcrypto's (SHA1_Transform /
// SHA256_Transform / SHA512_Transform), started from the ipad/opad states computed at installation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/record/suite.hpp"

namespace tlsburst::record {

// Bytes of the MAC pseudo-header that are public: seq_num(8) || type(1) || version(2). The last two
// bytes (the content length) depend on the padding length and are computed inside the check.
inline constexpr size_t cbc_public_header_len = 11;

// Optional counters for tests.
struct CbcCheckStats {
  uint32_t num_compressions = 0;  // hash compression-function calls (inner and outer)
};

struct CbcCheckResult {
  // All ones when the padding is well formed and the MAC matches, zero otherwise. It and
  // content_len are secret until the caller acts on them; content_len is meaningful only when
  // good_mask is all ones.
  uint32_t good_mask = 0;
  uint32_t content_len = 0;
};

// `plain` holds the decrypted fragment after the explicit IV: content || MAC || padding ||
// padding_length, `plain_len` bytes. Requires plain_len >= MAC length + 1 (the caller rejects
// shorter records publicly). `ipad_state` / `opad_state` are the HMAC key pad states in ipsec-mb's
// digest layout (CbcHmacKeys). Reads exactly plain[0, plain_len) and writes nothing to it.
[[nodiscard]] CbcCheckResult cbc_mte_check(MacAlgorithm mac, const uint8_t* ipad_state, const uint8_t* opad_state,
                                           const uint8_t* public_header, const uint8_t* plain, size_t plain_len,
                                           CbcCheckStats* stats = nullptr) noexcept;

// MAC output length of `mac` (20, 32 or 48 bytes; 0 for none).
constexpr size_t mac_len(MacAlgorithm mac) {
  switch (mac) {
    case MacAlgorithm::hmac_sha1: return 20;
    case MacAlgorithm::hmac_sha256: return 32;
    case MacAlgorithm::hmac_sha384: return 48;
    case MacAlgorithm::none: return 0;
  }
  return 0;
}

}  // namespace tlsburst::record
