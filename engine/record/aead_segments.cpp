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

template <ProtocolVersion V, CipherFamily F>
void seal_segments(IMB_MGR* mgr, RecordOp& op) noexcept {
  using L = Framing<V, F>;
  constexpr uint32_t hr = L::header_room;
  DirectionState& s = *op.state;
  if (const RecordStatus st = check_seal<V, F>(op); st != RecordStatus::ok) {
    op.status = st;
    return;
  }
  const uint32_t tail_len = L::tail_len(L::tls13 ? op.padding_len : 0);
  const Segments segs(op.segments, op.num_segments);
  if (segs.total() != uint64_t{hr} + op.length + tail_len || segs.first().len < hr || segs.last().len < tail_len) {
    op.status = RecordStatus::buffer_too_small;
    return;
  }

  op.seq = s.seq++;
  alignas(16) uint8_t nonce[16];
  alignas(16) uint8_t aad[16];
  uint8_t aad_len = 0;
  uint8_t* const tail = segs.last().data + segs.last().len - tail_len;  // right after the plaintext
  const uint32_t payload_len = frame_seal<V, F>(s, op, segs.first().data, tail, nonce, aad, aad_len);

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
  constexpr uint32_t hr = L::header_room;
  DirectionState& s = *op.state;
  const Segments segs(op.segments, op.num_segments);
  if (op.length < header_len || segs.total() != op.length) {
    op.status = RecordStatus::decode_error;
    return;
  }
  if (segs.first().len < hr) {  // the header and explicit nonce must be readable in place
    op.status = RecordStatus::buffer_too_small;
    return;
  }
  uint8_t* const rec = segs.first().data;
  if (const RecordStatus st = check_open_header<V, F>(rec, op.length); st != RecordStatus::ok) {
    op.status = st;
    return;
  }

  const uint64_t seq = s.seq++;
  op.seq = seq;
  const uint32_t payload_len = op.length - hr - aead_tag_len;
  alignas(16) uint8_t nonce[16];
  alignas(16) uint8_t aad[16];
  alignas(16) uint8_t tag[16];
  alignas(16) uint8_t computed[16];
  uint8_t aad_len = 0;
  segs.copy_out(uint64_t{hr} + payload_len, tag, aead_tag_len);
  frame_open<V, F>(s, seq, rec, payload_len, nonce, aad, aad_len);

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
  } else if constexpr (L::tls13) {
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
