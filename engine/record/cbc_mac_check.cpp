#include "engine/record/cbc_mac_check.hpp"

// The SHAx_Transform entry points are deprecated in OpenSSL 3.0 but remain the only public way to
// run the compression function from an arbitrary state (here: the HMAC ipad/opad states).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <utility>

#include "engine/common/secret.hpp"

namespace tlsburst::record {

namespace {

// One hash function's compression function on OpenSSL's context, started from a state in ipsec-mb's
// digest layout (native-endian words, which is also OpenSSL's h[] layout).
struct Sha1 {
  using Ctx = SHA_CTX;
  using Word = uint32_t;
  static constexpr uint32_t block_len = 64;
  static constexpr uint32_t length_field_len = 8;
  static constexpr uint32_t num_words = 5;
  static constexpr uint32_t digest_len = 20;
  static uint8_t* state(Ctx& c) { return reinterpret_cast<uint8_t*>(&c) + offsetof(SHA_CTX, h0); }
  static void compress(Ctx& c, const uint8_t* block) { SHA1_Transform(&c, block); }
  static void compress_blocks(Ctx& c, const uint8_t* data, size_t num_blocks) {
    SHA1_Update(&c, data, num_blocks * block_len);  // num == 0: whole blocks go straight to the block function
  }
};

struct Sha256 {
  using Ctx = SHA256_CTX;
  using Word = uint32_t;
  static constexpr uint32_t block_len = 64;
  static constexpr uint32_t length_field_len = 8;
  static constexpr uint32_t num_words = 8;
  static constexpr uint32_t digest_len = 32;
  static uint8_t* state(Ctx& c) { return reinterpret_cast<uint8_t*>(c.h); }
  static void compress(Ctx& c, const uint8_t* block) { SHA256_Transform(&c, block); }
  static void compress_blocks(Ctx& c, const uint8_t* data, size_t num_blocks) {
    SHA256_Update(&c, data, num_blocks * block_len);
  }
};

// SHA-384 is SHA-512's compression function with its own initial state (here: the ipad state).
struct Sha384 {
  using Ctx = SHA512_CTX;
  using Word = uint64_t;
  static constexpr uint32_t block_len = 128;
  static constexpr uint32_t length_field_len = 16;
  static constexpr uint32_t num_words = 8;
  static constexpr uint32_t digest_len = 48;
  static uint8_t* state(Ctx& c) { return reinterpret_cast<uint8_t*>(c.h); }
  static void compress(Ctx& c, const uint8_t* block) { SHA512_Transform(&c, block); }
  static void compress_blocks(Ctx& c, const uint8_t* data, size_t num_blocks) {
    SHA512_Update(&c, data, num_blocks * block_len);
  }
};

template <class H>
void start(typename H::Ctx& ctx, const uint8_t* pad_state) {
  std::memset(&ctx, 0, sizeof ctx);
  std::memcpy(H::state(ctx), pad_state, H::num_words * sizeof(typename H::Word));
}

template <class H>
typename H::Word state_word(typename H::Ctx& ctx, uint32_t w) {
  typename H::Word v;
  std::memcpy(&v, H::state(ctx) + w * sizeof v, sizeof v);
  return v;
}

// Big-endian serialisation of the first `len` bytes of the digest words.
template <class H>
void store_digest(uint8_t* out, const typename H::Word* words, uint32_t len) {
  constexpr uint32_t word_len = sizeof(typename H::Word);
  for (uint32_t i = 0; i < len; ++i) {
    out[i] = static_cast<uint8_t>(words[i / word_len] >> (8 * (word_len - 1 - i % word_len)));
  }
}

template <class H>
CbcCheckResult check(const uint8_t* ipad_state, const uint8_t* opad_state, const uint8_t* public_header,
                     const uint8_t* plain, uint32_t n, CbcCheckStats* stats) noexcept {
  using Word = typename H::Word;
  constexpr uint32_t block_len = H::block_len;
  constexpr uint32_t length_field_len = H::length_field_len;
  constexpr uint32_t mac_len = H::digest_len;
  uint32_t num_compressions = 0;

  // --- Padding: plain[n - 1 - pad, n) must all equal pad, and content || MAC must fit before it.
  const uint32_t pad = plain[n - 1];
  const uint32_t max_pad = n - mac_len - 1;  // public; the caller guarantees n >= mac_len + 1
  uint32_t good = ct_mask_ge(max_pad, pad);
  const uint32_t num_checked = std::min<uint32_t>(256, n);  // public bound: every possible padding byte
  const uint8_t* tail = plain + (n - num_checked);
  uint32_t bad_bits = 0;
  if (num_checked == 256) {  // the usual case, with a fixed trip count the compiler vectorises
    for (uint32_t j = 0; j < 256; ++j) bad_bits |= ct_mask_ge(pad, 255 - j) & (tail[j] ^ pad);
  } else {
    for (uint32_t j = 0; j < num_checked; ++j) bad_bits |= ct_mask_ge(pad, num_checked - 1 - j) & (tail[j] ^ pad);
  }
  good &= ct_mask_is_zero(bad_bits);
  // With bad padding the MAC still runs, over the longest content (as if pad were 0), and fails.
  const uint32_t content_len = max_pad - (pad & good);

  // --- Inner hash over header(13) || content[0, content_len), with a fixed number of blocks.
  alignas(16) uint8_t header[13];
  std::memcpy(header, public_header, cbc_public_header_len);
  header[11] = static_cast<uint8_t>(content_len >> 8);
  header[12] = static_cast<uint8_t>(content_len);

  const uint32_t msg_len = 13 + content_len;                                  // secret
  const uint32_t max_msg_len = 13 + max_pad;                                  // public
  const uint32_t min_msg_len = 13 + (max_pad > 255 ? max_pad - 255 : 0);      // public
  // Blocks of the longest candidate message with its 0x80 and length field.
  const uint32_t num_blocks = (max_msg_len + length_field_len + block_len) / block_len;
  // Blocks wholly inside the message for every padding length: hashed as they are.
  const uint32_t num_prefix = min_msg_len / block_len;
  // The block that carries the length field for the real message length (secret).
  const uint32_t last_block = (msg_len + length_field_len) / block_len;

  alignas(16) uint8_t length_be[length_field_len] = {};
  const uint32_t bit_len = (block_len + msg_len) * 8;  // the ipad block counts too
  for (uint32_t j = 0; j < 4; ++j) length_be[length_field_len - 1 - j] = static_cast<uint8_t>(bit_len >> (8 * j));

  typename H::Ctx ctx;
  start<H>(ctx, ipad_state);
  alignas(64) uint8_t block[block_len];

  if (num_prefix > 0) {
    std::memcpy(block, header, 13);
    std::memcpy(block + 13, plain, block_len - 13);
    H::compress(ctx, block);
    ++num_compressions;
    if (num_prefix > 1) {
      H::compress_blocks(ctx, plain + (block_len - 13), num_prefix - 1);
      num_compressions += num_prefix - 1;
    }
  }

  Word inner[H::num_words] = {};
  for (uint32_t i = num_prefix; i < num_blocks; ++i) {
    // Copy the bytes at public positions [base, base + block_len) of header || plain, zeros beyond.
    const uint32_t base = i * block_len;
    std::memset(block, 0, block_len);
    if (base < 13) std::memcpy(block, header + base, 13 - base);
    const uint32_t from = std::max<uint32_t>(base, 13);
    const uint32_t to = std::min<uint32_t>(base + block_len, 13 + n);
    if (from < to) std::memcpy(block + (from - base), plain + (from - 13), to - from);

    // Keep the message bytes, put 0x80 right after them, and the length in the last block.
    for (uint32_t j = 0; j < block_len; ++j) {
      const uint32_t k = base + j;
      const uint32_t b = (block[j] & ct_mask_lt(k, msg_len)) | (0x80 & ct_mask_eq(k, msg_len));
      block[j] = static_cast<uint8_t>(b);
    }
    const uint32_t is_last = ct_mask_eq(i, last_block);
    for (uint32_t j = 0; j < length_field_len; ++j) {
      block[block_len - length_field_len + j] |= static_cast<uint8_t>(length_be[j] & is_last);
    }
    H::compress(ctx, block);
    ++num_compressions;
    const Word word_mask = static_cast<Word>((uint64_t{is_last} << 32) | is_last);
    for (uint32_t w = 0; w < H::num_words; ++w) inner[w] |= state_word<H>(ctx, w) & word_mask;
  }

  // --- Outer hash: opad state || inner digest, one block of public length.
  start<H>(ctx, opad_state);
  std::memset(block, 0, block_len);
  store_digest<H>(block, inner, mac_len);
  block[mac_len] = 0x80;
  const uint32_t outer_bits = (block_len + mac_len) * 8;
  for (uint32_t j = 0; j < 4; ++j) block[block_len - 1 - j] = static_cast<uint8_t>(outer_bits >> (8 * j));
  H::compress(ctx, block);
  ++num_compressions;
  Word outer[H::num_words];
  for (uint32_t w = 0; w < H::num_words; ++w) outer[w] = state_word<H>(ctx, w);
  alignas(16) uint8_t expected[mac_len];
  store_digest<H>(expected, outer, mac_len);

  // --- Received MAC at plain[content_len, content_len + mac_len): mask every byte of the range it
  // can lie in (a public range), fold the range in steps of mac_len so that MAC byte k lands at
  // (rotation + k) mod mac_len, then undo the rotation in log2(mac_len) masked steps.
  constexpr uint32_t window_len = (256 + mac_len + mac_len - 1) / mac_len * mac_len;  // a multiple of mac_len
  alignas(64) uint8_t window[window_len];
  uint32_t window_start;  // public: plain index of window[0]
  if (n >= window_len) {
    // The usual case: the last window_len bytes (fixed trip counts, vectorised). Everything before
    // the earliest MAC start and the padding_length byte are masked out like any non-MAC byte.
    window_start = n - window_len;
    const uint8_t* src = plain + window_start;
    for (uint32_t t = 0; t < window_len; ++t) {
      const uint32_t j = window_start + t;
      const uint32_t in_mac = ct_mask_ge(j, content_len) & ct_mask_lt(j, content_len + mac_len);
      window[t] = static_cast<uint8_t>(src[t] & in_mac);
    }
  } else {
    window_start = 0;
    for (uint32_t t = 0; t < n; ++t) {
      const uint32_t in_mac = ct_mask_ge(t, content_len) & ct_mask_lt(t, content_len + mac_len);
      window[t] = static_cast<uint8_t>(plain[t] & in_mac);
    }
    std::memset(window + n, 0, window_len - n);
  }
  alignas(16) uint8_t rotated[mac_len] = {};
  for (uint32_t block = 0; block < window_len / mac_len; ++block) {
    for (uint32_t t = 0; t < mac_len; ++t) rotated[t] |= window[block * mac_len + t];
  }
  // MAC byte k sits at rotated[(rotation + k) mod mac_len]; rotation = (content_len - window_start)
  // mod mac_len, by masked subtraction (no division on a secret). content_len - window_start <
  // window_len <= 16 * mac_len.
  uint32_t rotation = content_len - window_start;
  for (uint32_t step = 8; step >= 1; step >>= 1) {
    rotation -= (step * mac_len) & ct_mask_ge(rotation, step * mac_len);
  }
  alignas(16) uint8_t spare[mac_len];
  uint8_t* cur = rotated;
  uint8_t* next = spare;
  for (uint32_t shift = 1; shift < mac_len; shift <<= 1) {
    const uint32_t take = ct_mask_is_zero(rotation & shift) ^ ~uint32_t{0};
    for (uint32_t k = 0; k < mac_len; ++k) {
      const uint32_t from = k + shift < mac_len ? k + shift : k + shift - mac_len;  // public indices
      next[k] = static_cast<uint8_t>(ct_select(take, cur[from], cur[k]));
    }
    std::swap(cur, next);
  }
  uint32_t diff = 0;
  for (uint32_t t = 0; t < mac_len; ++t) diff |= cur[t] ^ expected[t];
  good &= ct_mask_is_zero(diff);

  secure_wipe(block, sizeof block);
  secure_wipe(inner, sizeof inner);
  secure_wipe(rotated, sizeof rotated);
  secure_wipe(window, sizeof window);
  secure_wipe(spare, sizeof spare);
  secure_wipe(header, sizeof header);
  secure_wipe_object(ctx);
  if (stats != nullptr) stats->num_compressions += num_compressions;
  return CbcCheckResult{good, content_len};
}

}  // namespace

CbcCheckResult cbc_mte_check(MacAlgorithm mac, const uint8_t* ipad_state, const uint8_t* opad_state,
                             const uint8_t* public_header, const uint8_t* plain, size_t plain_len,
                             CbcCheckStats* stats) noexcept {
  if (plain_len < mac_len(mac) + 1 || plain_len > (1u << 16)) return CbcCheckResult{};
  const auto n = static_cast<uint32_t>(plain_len);
  switch (mac) {
    case MacAlgorithm::hmac_sha1: return check<Sha1>(ipad_state, opad_state, public_header, plain, n, stats);
    case MacAlgorithm::hmac_sha256: return check<Sha256>(ipad_state, opad_state, public_header, plain, n, stats);
    case MacAlgorithm::hmac_sha384: return check<Sha384>(ipad_state, opad_state, public_header, plain, n, stats);
    case MacAlgorithm::none: break;
  }
  return CbcCheckResult{};
}

}  // namespace tlsburst::record
