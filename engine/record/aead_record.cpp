#include "engine/record/aead_record.hpp"

#include <cstring>

#include "engine/common/secret.hpp"
#include "engine/record/record_format.hpp"

namespace tlsburst::record {

namespace {

constexpr uint32_t aead_tag_len = 16;

// nonce = static IV xor the sequence number left-padded to 12 bytes (RFC 7905, RFC 8446 5.3).
inline void xor_seq_nonce(uint8_t* nonce, const uint8_t* iv, uint64_t seq) {
  std::memcpy(nonce, iv, 12);
  for (int i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<uint8_t>(seq >> (8 * i));
}

// The 13-byte TLS 1.2 AEAD additional data: seq_num || type || version || length.
inline void tls12_aad(uint8_t* aad, uint64_t seq, uint8_t type, uint16_t version, uint16_t len) {
  store_be64(aad, seq);
  aad[8] = type;
  store_be16(aad + 9, version);
  store_be16(aad + 11, len);
}

}  // namespace

RecordStatus check_state(const DirectionState* state, ImbArch arch) noexcept {
  if (state == nullptr || !state->installed || state->arch != arch) return RecordStatus::invalid_state;
  if (state->seq >= state->seq_limit) return RecordStatus::key_exhausted;
  return RecordStatus::ok;
}

bool aead_prepare_seal(RecordOp& op, BurstItem& item) noexcept {
  DirectionState& s = *op.state;
  const SuiteInfo& info = suite_info(s.suite);
  const uint32_t len = op.length;
  const bool tls13 = info.version == ProtocolVersion::tls13;

  if (len > max_plaintext_len || (tls13 && len + op.padding_len > max_plaintext_len)) {
    op.status = RecordStatus::record_overflow;
    return false;
  }
  if (op.type == ContentType::invalid) {
    op.status = RecordStatus::decode_error;
    return false;
  }
  const uint64_t needed = header_room(s.suite) + uint64_t{len} + tail_room(s.suite, op.padding_len);
  if (op.data == nullptr || needed > op.capacity) {
    op.status = RecordStatus::buffer_too_small;
    return false;
  }

  const uint64_t seq = s.seq++;
  op.seq = seq;
  item.op = &op;
  item.state = &s;
  uint8_t* const rec = op.data;

  if (tls13) {
    // TLSInnerPlaintext = content || type || zeros; AAD = the outer header.
    uint8_t* payload = rec + header_len;
    payload[len] = static_cast<uint8_t>(op.type);
    std::memset(payload + len + 1, 0, op.padding_len);
    const uint32_t inner_len = len + 1 + op.padding_len;
    write_header(rec, ContentType::application_data, legacy_record_version,
                 static_cast<uint16_t>(inner_len + aead_tag_len));
    item.payload = payload;
    item.payload_len = inner_len;
    std::memcpy(item.aad, rec, header_len);
    item.aad_len = header_len;
    xor_seq_nonce(item.nonce, s.fixed_iv, seq);
  } else {
    const uint32_t explicit_len = info.record_iv_len;  // 8 for AES-GCM, 0 for ChaCha20
    write_header(rec, op.type, legacy_record_version,
                 static_cast<uint16_t>(explicit_len + len + aead_tag_len));
    tls12_aad(item.aad, seq, static_cast<uint8_t>(op.type), legacy_record_version, static_cast<uint16_t>(len));
    item.aad_len = 13;
    if (info.family == CipherFamily::aes_gcm) {
      // RFC 5288: nonce = salt(4) || explicit(8); the explicit part is the sequence number.
      store_be64(rec + header_len, seq);
      std::memcpy(item.nonce, s.fixed_iv, 4);
      std::memcpy(item.nonce + 4, rec + header_len, 8);
    } else {
      xor_seq_nonce(item.nonce, s.fixed_iv, seq);
    }
    item.payload = rec + header_len + explicit_len;
    item.payload_len = len;
  }
  item.tag = item.payload + item.payload_len;
  return true;
}

bool aead_prepare_open(RecordOp& op, BurstItem& item) noexcept {
  DirectionState& s = *op.state;
  const SuiteInfo& info = suite_info(s.suite);
  const bool tls13 = info.version == ProtocolVersion::tls13;
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
  const uint32_t explicit_len = info.record_iv_len;
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

  if (tls13) {
    std::memcpy(item.aad, rec, header_len);
    item.aad_len = header_len;
    xor_seq_nonce(item.nonce, s.fixed_iv, seq);
  } else {
    tls12_aad(item.aad, seq, rec[0], load_be16(rec + 1), static_cast<uint16_t>(item.payload_len));
    item.aad_len = 13;
    if (info.family == CipherFamily::aes_gcm) {
      std::memcpy(item.nonce, s.fixed_iv, 4);
      std::memcpy(item.nonce + 4, rec + header_len, 8);
    } else {
      xor_seq_nonce(item.nonce, s.fixed_iv, seq);
    }
  }
  return true;
}

void aead_finish_seal(BurstItem& item) noexcept {
  RecordOp& op = *item.op;
  if (!item.kernel_ok) {
    secure_wipe(item.payload, item.payload_len);
    op.status = RecordStatus::invalid_state;
    return;
  }
  op.length = static_cast<uint32_t>(item.tag + aead_tag_len - op.data);
  op.status = RecordStatus::ok;
}

void aead_finish_open(BurstItem& item) noexcept {
  RecordOp& op = *item.op;
  const bool tls13 = is_tls13(item.state->suite);
  if (!item.kernel_ok) {
    secure_wipe(item.payload, item.payload_len);
    op.status = RecordStatus::invalid_state;
    return;
  }
  if (!constant_time_equal(item.computed_tag, item.tag, aead_tag_len)) {
    secure_wipe(item.payload, item.payload_len);
    op.status = RecordStatus::bad_record_mac;
    return;
  }
  uint32_t plain_len = item.payload_len;
  ContentType type = static_cast<ContentType>(op.data[0]);
  if (tls13) {
    // Strip the zero padding; the last non-zero byte is the real content type.
    while (plain_len > 0 && item.payload[plain_len - 1] == 0) --plain_len;
    if (plain_len == 0) {
      secure_wipe(item.payload, item.payload_len);
      op.status = RecordStatus::unexpected_message;
      return;
    }
    --plain_len;
    type = static_cast<ContentType>(item.payload[plain_len]);
  }
  // RFC 8446 5.4: TLSInnerPlaintext (content, type and padding) at most 2^14 + 1 bytes;
  // RFC 5246 6.2.3: plaintext at most 2^14 bytes.
  if (tls13 ? item.payload_len > max_plaintext_len + 1 : plain_len > max_plaintext_len) {
    secure_wipe(item.payload, item.payload_len);
    op.status = RecordStatus::record_overflow;
    return;
  }
  // Open leaves the plaintext at data + header_room(suite), which is where the payload starts.
  op.length = plain_len;
  op.type = type;
  op.status = RecordStatus::ok;
}

}  // namespace tlsburst::record
