// Internal: TLS AEAD record framing (RFC 5288, RFC 7905, RFC 8446 5.2-5.4) shared by the AES-GCM and
// ChaCha20-Poly1305 kernels: checks, header, explicit nonce, per-record nonce and AAD before the
// cipher runs; tag check, padding removal and plaintext wiping after it.
//
// The framing is specialised at compile time on the protocol version and cipher family, so the
// per-record path carries no table look-ups or branches on the suite beyond one dispatch.
#pragma once

#include <immintrin.h>

#include <cstring>

#include "engine/common/secret.hpp"
#include "engine/record/burst_item.hpp"
#include "engine/record/record_format.hpp"

namespace tlsburst::record {

inline constexpr uint32_t aead_tag_len = 16;

// Checks shared by every family: keys installed for this processor's path, usage limit.
inline RecordStatus check_state(const DirectionState* state, ImbArch arch) noexcept {
  if (state == nullptr || !state->installed || state->arch != arch) return RecordStatus::invalid_state;
  if (state->seq >= state->seq_limit) return RecordStatus::key_exhausted;
  return RecordStatus::ok;
}

namespace aead_detail {

// The framing below writes nonces and AADs with whole 16-byte stores because the cipher reads
// them with vector loads right afterwards: built from narrow stores they cannot be forwarded and
// the load stalls (measured: about 1.6x slower per 64-byte record).

// nonce = fixed IV xor (0^32 || counter), with the counter in network byte order as it sits in
// memory: RFC 8446 5.3 and RFC 7905 (counter = seq, 12-byte IV), and RFC 5288 (4-byte salt,
// zero after it, and counter = the explicit nonce) alike.
inline void make_nonce(uint8_t* nonce16, const uint8_t* fixed_iv16, uint64_t counter_be) noexcept {
  const __m128i iv = _mm_load_si128(reinterpret_cast<const __m128i*>(fixed_iv16));
  const __m128i ctr = _mm_slli_si128(_mm_cvtsi64_si128(static_cast<long long>(counter_be)), 4);
  _mm_store_si128(reinterpret_cast<__m128i*>(nonce16), _mm_xor_si128(iv, ctr));
}

// The 5-byte record header in the low bytes of a word, in memory order.
inline uint64_t header_word(uint8_t type, uint16_t version, uint16_t fragment_len) noexcept {
  return uint64_t{type} | uint64_t{static_cast<uint8_t>(version >> 8)} << 8 |
         uint64_t{static_cast<uint8_t>(version)} << 16 | uint64_t{static_cast<uint8_t>(fragment_len >> 8)} << 24 |
         uint64_t{static_cast<uint8_t>(fragment_len)} << 32;
}

inline void store_header_word(uint8_t* rec, uint64_t header) noexcept {
  const uint32_t first4 = static_cast<uint32_t>(header);
  std::memcpy(rec, &first4, 4);
  rec[4] = static_cast<uint8_t>(header >> 32);
}

inline uint64_t load_header_word(const uint8_t* rec) noexcept {
  uint32_t first4;
  std::memcpy(&first4, rec, 4);
  return first4 | uint64_t{rec[4]} << 32;
}

// TLS 1.3 AAD: the outer header.
inline void tls13_aad(uint8_t* aad16, uint64_t header) noexcept {
  _mm_store_si128(reinterpret_cast<__m128i*>(aad16), _mm_cvtsi64_si128(static_cast<long long>(header)));
}

// TLS 1.2 AAD: seq_num(8) || type(1) || version(2) || length(2), which is the sequence number
// followed by a header word carrying the plaintext length.
inline void tls12_aad(uint8_t* aad16, uint64_t seq, uint8_t type, uint16_t version, uint16_t len) noexcept {
  _mm_store_si128(reinterpret_cast<__m128i*>(aad16),
                  _mm_set_epi64x(static_cast<long long>(header_word(type, version, len)),
                                 static_cast<long long>(__builtin_bswap64(seq))));
}

}  // namespace aead_detail

// Validates a seal op, reserves its sequence number and fills `item`. On failure sets op.status
// and returns false (no sequence number is consumed).
template <ProtocolVersion V, CipherFamily F>
inline bool prepare_seal(RecordOp& op, BurstItem& item) noexcept {
  constexpr bool tls13 = V == ProtocolVersion::tls13;
  constexpr uint32_t explicit_len = (!tls13 && F == CipherFamily::aes_gcm) ? 8 : 0;
  constexpr uint32_t tail_len = aead_tag_len + (tls13 ? 1 : 0);
  DirectionState& s = *op.state;
  const uint32_t len = op.length;
  const uint32_t pad = tls13 ? op.padding_len : 0;

  if (len + pad > max_plaintext_len) {
    op.status = RecordStatus::record_overflow;
    return false;
  }
  if (op.type == ContentType::invalid) {
    op.status = RecordStatus::decode_error;
    return false;
  }
  if (op.data == nullptr || header_len + explicit_len + len + pad + tail_len > op.capacity) {
    op.status = RecordStatus::buffer_too_small;
    return false;
  }

  const uint64_t seq = s.seq++;
  op.seq = seq;
  item.op = &op;
  item.state = &s;
  uint8_t* const rec = op.data;
  uint8_t* const payload = rec + header_len + explicit_len;

  const uint64_t seq_be = __builtin_bswap64(seq);
  // RFC 5288: nonce = salt(4) || explicit(8), and our explicit nonce is the sequence number, so
  // every suite's nonce is the fixed IV xor the sequence number.
  aead_detail::make_nonce(item.nonce, s.fixed_iv, seq_be);
  if constexpr (tls13) {
    // TLSInnerPlaintext = content || type || zeros; AAD = the outer header.
    payload[len] = static_cast<uint8_t>(op.type);
    if (pad != 0) std::memset(payload + len + 1, 0, pad);
    const uint32_t inner_len = len + 1 + pad;
    const uint64_t header = aead_detail::header_word(static_cast<uint8_t>(ContentType::application_data),
                                                     legacy_record_version,
                                                     static_cast<uint16_t>(inner_len + aead_tag_len));
    aead_detail::store_header_word(rec, header);
    aead_detail::tls13_aad(item.aad, header);
    item.aad_len = header_len;
    item.payload_len = inner_len;
  } else {
    aead_detail::store_header_word(
        rec, aead_detail::header_word(static_cast<uint8_t>(op.type), legacy_record_version,
                                      static_cast<uint16_t>(explicit_len + len + aead_tag_len)));
    if constexpr (explicit_len != 0) std::memcpy(rec + header_len, &seq_be, 8);
    aead_detail::tls12_aad(item.aad, seq, static_cast<uint8_t>(op.type), legacy_record_version,
                           static_cast<uint16_t>(len));
    item.aad_len = 13;
    item.payload_len = len;
  }
  item.payload = payload;
  item.tag = payload + item.payload_len;
  return true;
}

// Validates an open op (header, lengths, limits), reserves its sequence number and fills `item`.
template <ProtocolVersion V, CipherFamily F>
inline bool prepare_open(RecordOp& op, BurstItem& item) noexcept {
  constexpr bool tls13 = V == ProtocolVersion::tls13;
  constexpr uint32_t explicit_len = (!tls13 && F == CipherFamily::aes_gcm) ? 8 : 0;
  DirectionState& s = *op.state;
  uint8_t* const rec = op.data;

  if (rec == nullptr || op.length < header_len || op.length > op.capacity) {
    op.status = RecordStatus::decode_error;
    return false;
  }
  const uint32_t fragment_len = load_be16(rec + 3);
  if (fragment_len != op.length - header_len) {
    op.status = RecordStatus::decode_error;
    return false;
  }
  if (fragment_len > (tls13 ? tls13_max_ciphertext_len : tls12_max_ciphertext_len)) {
    op.status = RecordStatus::record_overflow;
    return false;
  }
  if (tls13 && rec[0] != static_cast<uint8_t>(ContentType::application_data)) {
    op.status = RecordStatus::unexpected_message;
    return false;
  }
  // Too short to hold the explicit nonce and tag (and, in TLS 1.3, the inner type): it cannot
  // authenticate, so it is reported as a MAC failure (RFC 5246 6.2.3.3, RFC 8446 5.2).
  if (fragment_len < explicit_len + aead_tag_len + (tls13 ? 1u : 0u)) {
    op.status = RecordStatus::bad_record_mac;
    return false;
  }

  const uint64_t seq = s.seq++;
  op.seq = seq;
  item.op = &op;
  item.state = &s;
  item.payload = rec + header_len + explicit_len;
  item.payload_len = fragment_len - explicit_len - aead_tag_len;
  item.tag = item.payload + item.payload_len;

  uint64_t counter_be = __builtin_bswap64(seq);
  if constexpr (tls13) {
    aead_detail::tls13_aad(item.aad, aead_detail::load_header_word(rec));
    item.aad_len = header_len;
  } else {
    aead_detail::tls12_aad(item.aad, seq, rec[0], load_be16(rec + 1), static_cast<uint16_t>(item.payload_len));
    item.aad_len = 13;
    if constexpr (explicit_len != 0) std::memcpy(&counter_be, rec + header_len, 8);  // RFC 5288
  }
  aead_detail::make_nonce(item.nonce, s.fixed_iv, counter_be);
  return true;
}

// After the kernel ran: sets length and status; wipes the plaintext if the kernel failed.
inline void finish_seal(BurstItem& item) noexcept {
  RecordOp& op = *item.op;
  if (!item.kernel_ok) {
    secure_wipe(item.payload, item.payload_len);
    op.status = RecordStatus::invalid_state;
    return;
  }
  op.length = static_cast<uint32_t>(item.tag + aead_tag_len - op.data);
  op.status = RecordStatus::ok;
}

// After the kernel ran: checks the tag in constant time, removes TLS 1.3 padding, sets
// length/type/status. On any failure the decrypted bytes are wiped: no plaintext is released.
template <ProtocolVersion V>
inline void finish_open(BurstItem& item) noexcept {
  constexpr bool tls13 = V == ProtocolVersion::tls13;
  RecordOp& op = *item.op;
  RecordStatus status = RecordStatus::ok;
  uint32_t plain_len = item.payload_len;
  ContentType type = static_cast<ContentType>(op.data[0]);
  if (!item.kernel_ok) {
    status = RecordStatus::invalid_state;
  } else if (!tag16_equal(item.computed_tag, item.tag)) {
    status = RecordStatus::bad_record_mac;
  } else if constexpr (tls13) {
    // RFC 8446 5.4: TLSInnerPlaintext (content, type and padding) at most 2^14 + 1 bytes; the last
    // non-zero byte is the real content type; only zeros is unexpected_message.
    while (plain_len > 0 && item.payload[plain_len - 1] == 0) --plain_len;
    if (plain_len == 0) {
      status = RecordStatus::unexpected_message;
    } else if (item.payload_len > max_plaintext_len + 1) {
      status = RecordStatus::record_overflow;
    } else {
      --plain_len;
      type = static_cast<ContentType>(item.payload[plain_len]);
    }
  } else if (plain_len > max_plaintext_len) {
    status = RecordStatus::record_overflow;  // RFC 5246 6.2.3: plaintext at most 2^14 bytes
  }
  if (status != RecordStatus::ok) {
    secure_wipe(item.payload, item.payload_len);
    op.status = status;
    return;
  }
  // Open leaves the plaintext at data + header_room(suite), which is where the payload starts.
  op.length = plain_len;
  op.type = type;
  op.status = RecordStatus::ok;
}

// Run-time dispatch of the framing for the staged (burst-kernel) path.
bool aead_prepare(RecordOp& op, BurstItem& item) noexcept;
void aead_finish(BurstItem& item) noexcept;

}  // namespace tlsburst::record
