#include "engine/record/aead_segments.hpp"

#include <algorithm>
#include <cstring>

#include "engine/common/secret.hpp"
#include "engine/record/aead_record.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::record {

namespace {

// The record's bytes as one logical range over its segments.
class Segments {
 public:
  Segments(RecordSegment* segs, uint32_t n) noexcept : _segs(segs), _n(n) {
    for (uint32_t i = 0; i < n; ++i) _total += segs[i].len;
  }
  uint64_t total() const noexcept { return _total; }
  RecordSegment& first() const noexcept { return _segs[0]; }
  RecordSegment& last() const noexcept { return _segs[_n - 1]; }

  // Calls fn(pointer, length) for each piece of logical range [begin, end), in order.
  template <class Fn>
  void for_each(uint64_t begin, uint64_t end, Fn&& fn) const noexcept {
    uint64_t base = 0;
    for (uint32_t i = 0; i < _n && base < end; ++i) {
      const uint64_t seg_end = base + _segs[i].len;
      const uint64_t a = std::max(begin, base);
      const uint64_t b = std::min(end, seg_end);
      if (b > a) fn(_segs[i].data + (a - base), static_cast<uint32_t>(b - a));
      base = seg_end;
    }
  }
  // The same, last piece first.
  template <class Fn>
  void for_each_reverse(uint64_t begin, uint64_t end, Fn&& fn) const noexcept {
    uint64_t seg_end = _total;
    for (uint32_t i = _n; i-- > 0 && seg_end > begin;) {
      const uint64_t base = seg_end - _segs[i].len;
      const uint64_t a = std::max(begin, base);
      const uint64_t b = std::min(end, seg_end);
      if (b > a && !fn(_segs[i].data + (a - base), static_cast<uint32_t>(b - a))) return;
      seg_end = base;
    }
  }
  void copy_out(uint64_t begin, uint8_t* dst, uint32_t len) const noexcept {
    for_each(begin, begin + len, [&](uint8_t* p, uint32_t n) {
      std::memcpy(dst, p, n);
      dst += n;
    });
  }
  void wipe(uint64_t begin, uint64_t end) const noexcept {
    for_each(begin, end, [](uint8_t* p, uint32_t n) { secure_wipe(p, n); });
  }

 private:
  RecordSegment* _segs;
  uint32_t _n;
  uint64_t _total = 0;
};

// ipsec-mb's multi-call AEAD interface for the suite's cipher.
class MultiCallAead {
 public:
  MultiCallAead(IMB_MGR* mgr, const DirectionState& state) noexcept
      : _mgr(mgr), _state(state), _info(suite_info(state.suite)) {}

  void init(const uint8_t* nonce, const uint8_t* aad, uint64_t aad_len) noexcept {
    if (_info.family == CipherFamily::chacha20_poly1305) {
      IMB_CHACHA20_POLY1305_INIT(_mgr, _state.keys.chacha.key, &_chacha, nonce, aad, aad_len);
    } else if (_info.key_len == 16) {
      IMB_AES128_GCM_INIT(_mgr, &_state.keys.gcm, &_gcm, nonce, aad, aad_len);
    } else {
      IMB_AES256_GCM_INIT(_mgr, &_state.keys.gcm, &_gcm, nonce, aad, aad_len);
    }
  }
  void update(bool seal, uint8_t* p, uint64_t len) noexcept {
    if (_info.family == CipherFamily::chacha20_poly1305) {
      if (seal) {
        IMB_CHACHA20_POLY1305_ENC_UPDATE(_mgr, _state.keys.chacha.key, &_chacha, p, p, len);
      } else {
        IMB_CHACHA20_POLY1305_DEC_UPDATE(_mgr, _state.keys.chacha.key, &_chacha, p, p, len);
      }
    } else if (_info.key_len == 16) {
      if (seal) {
        IMB_AES128_GCM_ENC_UPDATE(_mgr, &_state.keys.gcm, &_gcm, p, p, len);
      } else {
        IMB_AES128_GCM_DEC_UPDATE(_mgr, &_state.keys.gcm, &_gcm, p, p, len);
      }
    } else if (seal) {
      IMB_AES256_GCM_ENC_UPDATE(_mgr, &_state.keys.gcm, &_gcm, p, p, len);
    } else {
      IMB_AES256_GCM_DEC_UPDATE(_mgr, &_state.keys.gcm, &_gcm, p, p, len);
    }
  }
  // Writes the (seal) or the computed (open) 16-byte tag. Returns whether every call succeeded.
  bool finalize(bool seal, uint8_t* tag) noexcept {
    if (_info.family == CipherFamily::chacha20_poly1305) {
      if (seal) {
        IMB_CHACHA20_POLY1305_ENC_FINALIZE(_mgr, &_chacha, tag, aead_tag_len);
      } else {
        IMB_CHACHA20_POLY1305_DEC_FINALIZE(_mgr, &_chacha, tag, aead_tag_len);
      }
    } else if (_info.key_len == 16) {
      if (seal) {
        IMB_AES128_GCM_ENC_FINALIZE(_mgr, &_state.keys.gcm, &_gcm, tag, aead_tag_len);
      } else {
        IMB_AES128_GCM_DEC_FINALIZE(_mgr, &_state.keys.gcm, &_gcm, tag, aead_tag_len);
      }
    } else if (seal) {
      IMB_AES256_GCM_ENC_FINALIZE(_mgr, &_state.keys.gcm, &_gcm, tag, aead_tag_len);
    } else {
      IMB_AES256_GCM_DEC_FINALIZE(_mgr, &_state.keys.gcm, &_gcm, tag, aead_tag_len);
    }
    return _mgr->imb_errno == 0;
  }
  ~MultiCallAead() {
    secure_wipe_object(_gcm);  // hold keystream state
    secure_wipe_object(_chacha);
  }

 private:
  IMB_MGR* _mgr;
  const DirectionState& _state;
  const SuiteInfo& _info;
  alignas(64) struct gcm_context_data _gcm {};
  alignas(64) struct chacha20_poly1305_context_data _chacha {};
};

// The framing constants of a version and cipher family.
template <ProtocolVersion V, CipherFamily F>
struct Framing {
  static constexpr bool tls13 = V == ProtocolVersion::tls13;
  static constexpr uint32_t explicit_len = (!tls13 && F == CipherFamily::aes_gcm) ? 8 : 0;  // RFC 5288
  static constexpr uint32_t header_room = header_len + explicit_len;
};

template <ProtocolVersion V, CipherFamily F>
void seal_segments(IMB_MGR* mgr, RecordOp& op) noexcept {
  using L = Framing<V, F>;
  constexpr bool tls13 = L::tls13;
  constexpr uint32_t explicit_len = L::explicit_len;
  constexpr uint32_t hr = L::header_room;
  DirectionState& s = *op.state;
  const uint32_t len = op.length;
  const uint32_t pad = tls13 ? op.padding_len : 0;
  const uint32_t tail_len = aead_tag_len + (tls13 ? 1 + pad : 0);
  if (len + pad > max_plaintext_len) {
    op.status = RecordStatus::record_overflow;
    return;
  }
  if (op.type == ContentType::invalid) {
    op.status = RecordStatus::decode_error;
    return;
  }
  const Segments segs(op.segments, op.num_segments);
  if (segs.total() != uint64_t{hr} + len + tail_len || segs.first().len < hr || segs.last().len < tail_len) {
    op.status = RecordStatus::buffer_too_small;
    return;
  }

  const uint64_t seq = s.seq++;
  op.seq = seq;
  const uint64_t seq_be = __builtin_bswap64(seq);
  alignas(16) uint8_t nonce[16];
  alignas(16) uint8_t aad[16];
  aead_detail::make_nonce(nonce, s.fixed_iv, seq_be);
  uint8_t* const rec = segs.first().data;
  uint8_t* const tail = segs.last().data + segs.last().len - tail_len;
  uint32_t payload_len = len;
  uint32_t aad_len = 13;
  if constexpr (tls13) {
    tail[0] = static_cast<uint8_t>(op.type);
    if (pad != 0) std::memset(tail + 1, 0, pad);
    payload_len = len + 1 + pad;
    const uint64_t header = aead_detail::header_word(static_cast<uint8_t>(ContentType::application_data),
                                                     legacy_record_version,
                                                     static_cast<uint16_t>(payload_len + aead_tag_len));
    aead_detail::store_header_word(rec, header);
    aead_detail::tls13_aad(aad, header);
    aad_len = header_len;
  } else {
    aead_detail::store_header_word(
        rec, aead_detail::header_word(static_cast<uint8_t>(op.type), legacy_record_version,
                                      static_cast<uint16_t>(explicit_len + len + aead_tag_len)));
    if constexpr (explicit_len != 0) std::memcpy(rec + header_len, &seq_be, 8);
    aead_detail::tls12_aad(aad, seq, static_cast<uint8_t>(op.type), legacy_record_version, static_cast<uint16_t>(len));
  }

  MultiCallAead aead(mgr, s);
  aead.init(nonce, aad, aad_len);
  segs.for_each(hr, uint64_t{hr} + payload_len, [&](uint8_t* p, uint32_t n) { aead.update(true, p, n); });
  if (!aead.finalize(true, segs.last().data + segs.last().len - aead_tag_len)) {
    segs.wipe(hr, uint64_t{hr} + payload_len);
    op.status = RecordStatus::invalid_state;
    return;
  }
  op.length = static_cast<uint32_t>(segs.total());
  op.status = RecordStatus::ok;
}

template <ProtocolVersion V, CipherFamily F>
void open_segments(IMB_MGR* mgr, RecordOp& op) noexcept {
  using L = Framing<V, F>;
  const Segments segs(op.segments, op.num_segments);
  constexpr bool tls13 = L::tls13;
  constexpr uint32_t explicit_len = L::explicit_len;
  constexpr uint32_t hr = L::header_room;
  DirectionState& s = *op.state;
  if (op.length < header_len || segs.total() != op.length) {
    op.status = RecordStatus::decode_error;
    return;
  }
  if (segs.first().len < hr) {  // the header and explicit nonce must be readable in place
    op.status = RecordStatus::buffer_too_small;
    return;
  }
  uint8_t* const rec = segs.first().data;
  const uint32_t fragment_len = load_be16(rec + 3);
  if (fragment_len != op.length - header_len) {
    op.status = RecordStatus::decode_error;
    return;
  }
  if (fragment_len > (tls13 ? tls13_max_ciphertext_len : tls12_max_ciphertext_len)) {
    op.status = RecordStatus::record_overflow;
    return;
  }
  if (tls13 && rec[0] != static_cast<uint8_t>(ContentType::application_data)) {
    op.status = RecordStatus::unexpected_message;
    return;
  }
  if (fragment_len < explicit_len + aead_tag_len + (tls13 ? 1u : 0u)) {
    op.status = RecordStatus::bad_record_mac;
    return;
  }

  const uint64_t seq = s.seq++;
  op.seq = seq;
  const uint32_t payload_len = fragment_len - explicit_len - aead_tag_len;
  alignas(16) uint8_t nonce[16];
  alignas(16) uint8_t aad[16];
  alignas(16) uint8_t tag[16];
  alignas(16) uint8_t computed[16];
  segs.copy_out(uint64_t{hr} + payload_len, tag, aead_tag_len);
  uint64_t counter_be = __builtin_bswap64(seq);
  uint32_t aad_len = 13;
  if constexpr (tls13) {
    aead_detail::tls13_aad(aad, aead_detail::load_header_word(rec));
    aad_len = header_len;
  } else {
    aead_detail::tls12_aad(aad, seq, rec[0], load_be16(rec + 1), static_cast<uint16_t>(payload_len));
    if constexpr (explicit_len != 0) std::memcpy(&counter_be, rec + header_len, 8);  // RFC 5288
  }
  aead_detail::make_nonce(nonce, s.fixed_iv, counter_be);

  MultiCallAead aead(mgr, s);
  aead.init(nonce, aad, aad_len);
  segs.for_each(hr, uint64_t{hr} + payload_len, [&](uint8_t* p, uint32_t n) { aead.update(false, p, n); });
  const bool kernel_ok = aead.finalize(false, computed);

  RecordStatus status = RecordStatus::ok;
  uint32_t plain_len = payload_len;
  ContentType type = static_cast<ContentType>(rec[0]);
  if (!kernel_ok) {
    status = RecordStatus::invalid_state;
  } else if (!tag16_equal(computed, tag)) {
    status = RecordStatus::bad_record_mac;
  } else if constexpr (tls13) {
    // RFC 8446 5.4: the last non-zero byte is the content type; only zeros is unexpected_message.
    uint32_t zeros = 0;
    bool found = false;
    segs.for_each_reverse(hr, uint64_t{hr} + payload_len, [&](uint8_t* p, uint32_t n) {
      for (uint32_t i = n; i-- > 0;) {
        if (p[i] != 0) {
          type = static_cast<ContentType>(p[i]);
          found = true;
          return false;
        }
        ++zeros;
      }
      return true;
    });
    if (!found) {
      status = RecordStatus::unexpected_message;
    } else if (payload_len > max_plaintext_len + 1) {
      status = RecordStatus::record_overflow;
    } else {
      plain_len = payload_len - zeros - 1;
    }
  } else if (plain_len > max_plaintext_len) {
    status = RecordStatus::record_overflow;
  }
  if (status != RecordStatus::ok) {
    segs.wipe(hr, uint64_t{hr} + payload_len);
    op.status = status;
    return;
  }
  op.length = plain_len;
  op.type = type;
  op.status = RecordStatus::ok;
}

}  // namespace

void aead_process_segments(IMB_MGR* mgr, RecordOp& op) noexcept {
  const SuiteInfo& info = suite_info(op.state->suite);
  const bool seal = op.kind == RecordOpKind::seal;
  const bool gcm = info.family == CipherFamily::aes_gcm;
  if (info.version == ProtocolVersion::tls13) {
    if (gcm) {
      seal ? seal_segments<ProtocolVersion::tls13, CipherFamily::aes_gcm>(mgr, op)
           : open_segments<ProtocolVersion::tls13, CipherFamily::aes_gcm>(mgr, op);
    } else {
      seal ? seal_segments<ProtocolVersion::tls13, CipherFamily::chacha20_poly1305>(mgr, op)
           : open_segments<ProtocolVersion::tls13, CipherFamily::chacha20_poly1305>(mgr, op);
    }
  } else if (gcm) {
    seal ? seal_segments<ProtocolVersion::tls12, CipherFamily::aes_gcm>(mgr, op)
         : open_segments<ProtocolVersion::tls12, CipherFamily::aes_gcm>(mgr, op);
  } else {
    seal ? seal_segments<ProtocolVersion::tls12, CipherFamily::chacha20_poly1305>(mgr, op)
         : open_segments<ProtocolVersion::tls12, CipherFamily::chacha20_poly1305>(mgr, op);
  }
}

}  // namespace tlsburst::record
