// TLS AEAD record framing for the baselines (RFC 5288, RFC 7905, RFC 8446 5.2-5.4): the header,
// explicit nonce, per-record nonce and AAD that a TLS library builds around one AEAD call, and
// the checks it makes on a received header. Every baseline contender runs exactly this per
// record, so that the comparison with the record layer (which does the same work internally)
// measures the crypto path and not a missing header write.
//
// Inline on purpose, and written with whole-word stores: it runs once per record right before
// the cipher reads the nonce and AAD with vector loads. Built byte by byte, those loads cannot
// be forwarded from the pending narrow stores and stall (measured: 49 ns instead of 30 ns per
// 64-byte AES-128-GCM record on this machine), which would make the baselines look slower than
// a careful caller of the library is.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "engine/record/record_format.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::bench {

inline constexpr uint32_t aead_nonce_len = 12;
inline constexpr uint32_t aead_tag_len = 16;

struct AeadFrame {
  alignas(16) uint8_t nonce[16];  // first aead_nonce_len bytes used, the rest zero
  alignas(16) uint8_t aad[16];    // first aad_len bytes used, the rest zero
  uint32_t aad_len = 0;
  uint32_t payload_offset = 0;  // first byte to encrypt or decrypt, from the record start
  uint32_t payload_len = 0;     // bytes to encrypt or decrypt (TLS 1.3: includes the inner type)
  uint32_t record_len = 0;      // the whole record; the tag is at payload_offset + payload_len
};

// Length of the sealed AEAD record carrying `plaintext_len` bytes (no TLS 1.3 padding).
constexpr uint32_t aead_record_len(record::Suite s, uint32_t plaintext_len) {
  return static_cast<uint32_t>(record::header_room(s) + plaintext_len + record::tail_room(s, 0));
}

// nonce = fixed_iv XOR (0^32 || be64(counter)): RFC 8446 5.3 and RFC 7905 with counter = seq; and
// RFC 5288 salt || explicit nonce with a 4-byte salt (zero beyond it) and counter = the explicit
// nonce. `fixed_iv16` is 16 readable bytes, zero after the suite's fixed_iv_len. `counter_be` is
// the counter already in network byte order, as it sits in memory.
inline void make_nonce(const uint8_t* fixed_iv16, uint64_t counter_be, uint8_t* nonce16) {
  const __m128i iv = _mm_loadu_si128(reinterpret_cast<const __m128i*>(fixed_iv16));
  const __m128i ctr = _mm_slli_si128(_mm_cvtsi64_si128(static_cast<long long>(counter_be)), 4);
  _mm_store_si128(reinterpret_cast<__m128i*>(nonce16), _mm_xor_si128(iv, ctr));
}

// The 5-byte record header as it sits in memory, in the low bytes of a word.
inline uint64_t header_word(uint16_t fragment_len) {
  return uint64_t{static_cast<uint8_t>(record::ContentType::application_data)} |
         uint64_t{record::legacy_record_version >> 8} << 8 | uint64_t{record::legacy_record_version & 0xff} << 16 |
         uint64_t{static_cast<uint8_t>(fragment_len >> 8)} << 24 | uint64_t{static_cast<uint8_t>(fragment_len)} << 32;
}

inline void store_header(uint8_t* record, uint64_t header) {
  const uint32_t first4 = static_cast<uint32_t>(header);
  std::memcpy(record, &first4, 4);
  record[4] = static_cast<uint8_t>(header >> 32);
}

inline uint64_t load_header(const uint8_t* record) {
  uint32_t first4;
  std::memcpy(&first4, record, 4);
  return first4 | uint64_t{record[4]} << 32;
}

// AAD = the outer header (TLS 1.3) ...
inline void make_tls13_aad(uint64_t header, uint8_t* aad16) {
  _mm_store_si128(reinterpret_cast<__m128i*>(aad16), _mm_cvtsi64_si128(static_cast<long long>(header)));
}

// ... or seq_num(8) || type(1) || version(2) || plaintext length(2) (TLS 1.2).
inline void make_tls12_aad(uint64_t seq, uint16_t plaintext_len, uint8_t* aad16) {
  const uint64_t hi = uint64_t{static_cast<uint8_t>(record::ContentType::application_data)} |
                      uint64_t{record::legacy_record_version >> 8} << 8 |
                      uint64_t{record::legacy_record_version & 0xff} << 16 |
                      uint64_t{static_cast<uint8_t>(plaintext_len >> 8)} << 24 |
                      uint64_t{static_cast<uint8_t>(plaintext_len)} << 32;
  _mm_store_si128(reinterpret_cast<__m128i*>(aad16),
                  _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(__builtin_bswap64(seq))));
}

// Seal framing: the plaintext is at record + header_room(suite). Writes the header, the explicit
// nonce (TLS 1.2 GCM: the sequence number) and the TLS 1.3 inner content type, and fills `f`.
inline void frame_seal(const record::SuiteInfo& info, const uint8_t* fixed_iv16, uint64_t seq,
                       uint8_t* record, uint32_t plaintext_len, AeadFrame& f) {
  const uint32_t room = record::header_len + info.record_iv_len;
  const uint64_t seq_be = __builtin_bswap64(seq);
  f.payload_offset = room;
  make_nonce(fixed_iv16, seq_be, f.nonce);
  if (info.version == record::ProtocolVersion::tls13) {
    record[room + plaintext_len] = static_cast<uint8_t>(record::ContentType::application_data);
    f.payload_len = plaintext_len + 1;
    f.record_len = room + f.payload_len + aead_tag_len;
    const uint64_t header = header_word(static_cast<uint16_t>(f.record_len - record::header_len));
    store_header(record, header);
    make_tls13_aad(header, f.aad);
    f.aad_len = record::header_len;
    return;
  }
  f.payload_len = plaintext_len;
  f.record_len = room + plaintext_len + aead_tag_len;
  if (info.record_iv_len != 0) std::memcpy(record + record::header_len, &seq_be, 8);
  store_header(record, header_word(static_cast<uint16_t>(f.record_len - record::header_len)));
  make_tls12_aad(seq, static_cast<uint16_t>(plaintext_len), f.aad);
  f.aad_len = 13;
}

// Open framing: checks the header of the record in record[0, record_len) the way a TLS library
// does (type, length field, size limits) and fills `f`. False means the record is malformed.
inline bool frame_open(const record::SuiteInfo& info, const uint8_t* fixed_iv16, uint64_t seq,
                       const uint8_t* record, uint32_t record_len, AeadFrame& f) {
  const bool tls13 = info.version == record::ProtocolVersion::tls13;
  const uint32_t room = record::header_len + info.record_iv_len;
  const uint32_t min_len = room + aead_tag_len + (tls13 ? 1 : 0);
  const uint32_t max_fragment_len = static_cast<uint32_t>(tls13 ? record::tls13_max_ciphertext_len
                                                                : record::tls12_max_ciphertext_len);
  if (record_len < min_len || record_len - record::header_len > max_fragment_len) return false;
  const uint64_t header = load_header(record);
  if (header != header_word(static_cast<uint16_t>(record_len - record::header_len))) return false;
  f.payload_offset = room;
  f.payload_len = record_len - room - aead_tag_len;
  f.record_len = record_len;
  if (tls13) {
    make_nonce(fixed_iv16, __builtin_bswap64(seq), f.nonce);
    make_tls13_aad(header, f.aad);
    f.aad_len = record::header_len;
    return true;
  }
  uint64_t counter_be = __builtin_bswap64(seq);
  if (info.record_iv_len != 0) std::memcpy(&counter_be, record + record::header_len, 8);
  make_nonce(fixed_iv16, counter_be, f.nonce);
  make_tls12_aad(seq, static_cast<uint16_t>(f.payload_len), f.aad);
  f.aad_len = 13;
  return true;
}

// Compares two 16-byte tags in constant time (no early exit): two words, xor, or. What a caller
// of the raw library writes; an out-of-line byte loop costs more than the framing itself.
inline bool tags_equal(const uint8_t* a, const uint8_t* b) {
  uint64_t a0, a1, b0, b1;
  std::memcpy(&a0, a, 8);
  std::memcpy(&a1, a + 8, 8);
  std::memcpy(&b0, b, 8);
  std::memcpy(&b1, b + 8, 8);
  return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

// TLS 1.3, after decryption: strips the zero padding and the inner content type. Returns the
// plaintext length, or -1 when the inner plaintext is all zeros (unexpected_message).
inline int32_t tls13_inner_plaintext_len(const uint8_t* payload, uint32_t payload_len) {
  uint32_t i = payload_len;
  while (i > 0 && payload[i - 1] == 0) --i;
  return i == 0 ? -1 : static_cast<int32_t>(i - 1);
}

}  // namespace tlsburst::bench
