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

// The framing constants of a version and cipher family.
template <ProtocolVersion V, CipherFamily F>
struct Framing {
  static constexpr bool tls13 = V == ProtocolVersion::tls13;
  static constexpr uint32_t explicit_len = (!tls13 && F == CipherFamily::aes_gcm) ? 8 : 0;  // RFC 5288
  static constexpr uint32_t header_room = header_len + explicit_len;
  // Sealed bytes after the plaintext: tag, and in TLS 1.3 the inner type and the padding.
  static constexpr uint32_t tail_len(uint32_t padding_len) { return aead_tag_len + (tls13 ? 1 + padding_len : 0); }
};

// The checks of a seal that need only the op: none (ok), record_overflow or decode_error.
template <ProtocolVersion V, CipherFamily F>
inline RecordStatus check_seal(const RecordOp& op) noexcept {
  const uint32_t pad = Framing<V, F>::tls13 ? op.padding_len : 0;
  if (op.length + pad > max_plaintext_len) return RecordStatus::record_overflow;
  if (op.type == ContentType::invalid) return RecordStatus::decode_error;
  return RecordStatus::ok;
}

// Frames a seal whose sequence number op.seq is reserved: writes the header (and explicit nonce)
// at `rec` and, in TLS 1.3, the inner content type and padding at `after_plaintext`; fills the
// nonce and AAD. Returns the length of the bytes to encrypt (from rec + header_room).
template <ProtocolVersion V, CipherFamily F>
inline uint32_t frame_seal(const DirectionState& s, const RecordOp& op, uint8_t* rec, uint8_t* after_plaintext,
                           uint8_t* nonce16, uint8_t* aad16, uint8_t& aad_len) noexcept {
  using L = Framing<V, F>;
  const uint32_t len = op.length;
  const uint64_t seq_be = __builtin_bswap64(op.seq);
  // RFC 5288: nonce = salt(4) || explicit(8), and our explicit nonce is the sequence number, so
  // every suite's nonce is the fixed IV xor the sequence number.
  aead_detail::make_nonce(nonce16, s.fixed_iv, seq_be);
  if constexpr (L::tls13) {
    // TLSInnerPlaintext = content || type || zeros; AAD = the outer header.
    const uint32_t pad = op.padding_len;
    after_plaintext[0] = static_cast<uint8_t>(op.type);
    if (pad != 0) std::memset(after_plaintext + 1, 0, pad);
    const uint32_t inner_len = len + 1 + pad;
    const uint64_t header = aead_detail::header_word(static_cast<uint8_t>(ContentType::application_data),
                                                     legacy_record_version,
                                                     static_cast<uint16_t>(inner_len + aead_tag_len));
    aead_detail::store_header_word(rec, header);
    aead_detail::tls13_aad(aad16, header);
    aad_len = header_len;
    return inner_len;
  } else {
    aead_detail::store_header_word(
        rec, aead_detail::header_word(static_cast<uint8_t>(op.type), legacy_record_version,
                                      static_cast<uint16_t>(L::explicit_len + len + aead_tag_len)));
    if constexpr (L::explicit_len != 0) std::memcpy(rec + header_len, &seq_be, 8);
    aead_detail::tls12_aad(aad16, op.seq, static_cast<uint8_t>(op.type), legacy_record_version,
                           static_cast<uint16_t>(len));
    aad_len = 13;
    return len;
  }
}

// The checks of a `record_len`-byte record whose first header_room bytes are at `rec`: none
// (ok), decode_error, record_overflow, unexpected_message, or bad_record_mac for a record too
// short to authenticate.
template <ProtocolVersion V, CipherFamily F>
inline RecordStatus check_open_header(const uint8_t* rec, uint32_t record_len) noexcept {
  using L = Framing<V, F>;
  const uint32_t fragment_len = load_be16(rec + 3);
  if (fragment_len != record_len - header_len) return RecordStatus::decode_error;
  if (fragment_len > (L::tls13 ? tls13_max_ciphertext_len : tls12_max_ciphertext_len)) {
    return RecordStatus::record_overflow;
  }
  if (L::tls13 && rec[0] != static_cast<uint8_t>(ContentType::application_data)) {
    return RecordStatus::unexpected_message;
  }
  // Too short to hold the explicit nonce and tag (and, in TLS 1.3, the inner type): it cannot
  // authenticate, so it is reported as a MAC failure (RFC 5246 6.2.3.3, RFC 8446 5.2).
  if (fragment_len < L::explicit_len + aead_tag_len + (L::tls13 ? 1u : 0u)) return RecordStatus::bad_record_mac;
  return RecordStatus::ok;
}

// Nonce and AAD of an open whose header passed check_open_header and whose sequence number `seq`
// is reserved; `payload_len` is the ciphertext's length without explicit nonce and tag.
template <ProtocolVersion V, CipherFamily F>
inline void frame_open(const DirectionState& s, uint64_t seq, const uint8_t* rec, uint32_t payload_len,
                       uint8_t* nonce16, uint8_t* aad16, uint8_t& aad_len) noexcept {
  using L = Framing<V, F>;
  uint64_t counter_be = __builtin_bswap64(seq);
  if constexpr (L::tls13) {
    aead_detail::tls13_aad(aad16, aead_detail::load_header_word(rec));
    aad_len = header_len;
  } else {
    aead_detail::tls12_aad(aad16, seq, rec[0], load_be16(rec + 1), static_cast<uint16_t>(payload_len));
    aad_len = 13;
    if constexpr (L::explicit_len != 0) std::memcpy(&counter_be, rec + header_len, 8);  // RFC 5288
  }
  aead_detail::make_nonce(nonce16, s.fixed_iv, counter_be);
}

// Validates a seal op, reserves its sequence number and fills `item`. On failure sets op.status
// and returns false (no sequence number is consumed).
template <ProtocolVersion V, CipherFamily F>
inline bool prepare_seal(RecordOp& op, BurstItem& item) noexcept {
  using L = Framing<V, F>;
  DirectionState& s = *op.state;
  if (const RecordStatus st = check_seal<V, F>(op); st != RecordStatus::ok) {
    op.status = st;
    return false;
  }
  const uint32_t pad = L::tls13 ? op.padding_len : 0;
  if (op.data == nullptr || L::header_room + op.length + L::tail_len(pad) > op.capacity) {
    op.status = RecordStatus::buffer_too_small;
    return false;
  }

  op.seq = s.seq++;
  item.op = &op;
  item.state = &s;
  uint8_t* const payload = op.data + L::header_room;
  item.payload_len = frame_seal<V, F>(s, op, op.data, payload + op.length, item.nonce, item.aad, item.aad_len);
  item.payload = payload;
  item.tag = payload + item.payload_len;
  return true;
}

// Validates an open op (header, lengths, limits), reserves its sequence number and fills `item`.
template <ProtocolVersion V, CipherFamily F>
inline bool prepare_open(RecordOp& op, BurstItem& item) noexcept {
  using L = Framing<V, F>;
  DirectionState& s = *op.state;
  uint8_t* const rec = op.data;
  if (rec == nullptr || op.length < header_len || op.length > op.capacity) {
    op.status = RecordStatus::decode_error;
    return false;
  }
  if (const RecordStatus st = check_open_header<V, F>(rec, op.length); st != RecordStatus::ok) {
    op.status = st;
    return false;
  }

  const uint64_t seq = s.seq++;
  op.seq = seq;
  item.op = &op;
  item.state = &s;
  item.payload = rec + L::header_room;
  item.payload_len = op.length - L::header_room - aead_tag_len;
  item.tag = item.payload + item.payload_len;
  frame_open<V, F>(s, seq, rec, item.payload_len, item.nonce, item.aad, item.aad_len);
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
