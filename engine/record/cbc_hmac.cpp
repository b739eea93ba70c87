#include "engine/record/cbc_hmac.hpp"

#include <intel-ipsec-mb.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "engine/common/secret.hpp"
#include "engine/record/cbc_kernels.hpp"
#include "engine/record/cbc_mac_check.hpp"
#include "engine/record/explicit_iv_source.hpp"
#include "engine/record/record_format.hpp"

namespace tlsburst::record {

void expand_cbc_hmac_keys(CbcHmacKeys& out, const SuiteInfo& info, const DirectionKeys& keys, IMB_MGR* mgr) {
  if (info.key_len == 16) {
    IMB_AES_KEYEXP_128(mgr, keys.key.data(), out.enc_round_keys, out.dec_round_keys);
  } else {
    IMB_AES_KEYEXP_256(mgr, keys.key.data(), out.enc_round_keys, out.dec_round_keys);
  }
  // HMAC (RFC 2104): the key, zero-padded to the hash block, xor ipad / opad, hashed once.
  const size_t block_len = info.mac == MacAlgorithm::hmac_sha384 ? 128 : 64;
  alignas(16) uint8_t ipad[128];
  alignas(16) uint8_t opad[128];
  std::memset(ipad, 0x36, block_len);
  std::memset(opad, 0x5c, block_len);
  for (size_t i = 0; i < info.mac_key_len; ++i) {
    ipad[i] ^= keys.mac_key[i];
    opad[i] ^= keys.mac_key[i];
  }
  switch (info.mac) {
    case MacAlgorithm::hmac_sha1:
      IMB_SHA1_ONE_BLOCK(mgr, ipad, out.ipad_state);
      IMB_SHA1_ONE_BLOCK(mgr, opad, out.opad_state);
      break;
    case MacAlgorithm::hmac_sha256:
      IMB_SHA256_ONE_BLOCK(mgr, ipad, out.ipad_state);
      IMB_SHA256_ONE_BLOCK(mgr, opad, out.opad_state);
      break;
    case MacAlgorithm::hmac_sha384:
      IMB_SHA384_ONE_BLOCK(mgr, ipad, out.ipad_state);
      IMB_SHA384_ONE_BLOCK(mgr, opad, out.opad_state);
      break;
    case MacAlgorithm::none:
      break;
  }
  secure_wipe(ipad, sizeof ipad);
  secure_wipe(opad, sizeof opad);
}

namespace {

constexpr size_t max_chunk = RecordProcessor::max_burst;
constexpr uint32_t block_len = 16;
constexpr uint32_t iv_len = 16;
constexpr uint32_t body_offset = header_len + iv_len;  // = header_room() of every CBC suite
constexpr uint32_t pseudo_header_len = 13;             // seq_num || type || version || length

// Encrypt-then-MAC input (seq || header' || IV || ciphertext) is staged in this arena, since the
// record buffer has no room for the 8-byte sequence number in front of its header. Large enough for
// 32+ maximal records; fuller chunks are hashed in several bursts.
constexpr size_t etm_arena_len = 640 * 1024;

// One CBC op on its way through the phases.
struct CbcItem {
  RecordOp* op;
  DirectionState* state;
  uint8_t* body;          // data + 21: plaintext (seal) / ciphertext (open)
  uint32_t content_len;   // seal: plaintext bytes
  uint32_t body_len;      // bytes under CBC: content [|| MAC] || padding || padding_length
  uint8_t mac_len;
  uint8_t key_len;
  uint8_t pad;            // seal: padding_length
  MacAlgorithm mac;
  bool seal;
  bool etm;
  bool ok;                // every kernel so far completed
  bool alive;             // not yet finished with a failure
  alignas(16) uint8_t iv[iv_len];
  alignas(16) uint8_t computed_mac[48];  // encrypt-then-MAC open
};

void write_pseudo_header(uint8_t* p, uint64_t seq, uint8_t type, uint16_t version, uint16_t len) {
  store_be64(p, seq);
  p[8] = type;
  store_be16(p + 9, version);
  store_be16(p + 11, len);
}

}  // namespace

class CbcEngine {
 public:
  CbcEngine(IMB_MGR* mgr, CbcPadding padding_policy)
      : ivs(mgr, ExplicitIvSource::default_reseed_blocks),
        padding(padding_policy),
        arena(new (std::align_val_t{64}) uint8_t[etm_arena_len]) {}
  ~CbcEngine() { ::operator delete[](arena, std::align_val_t{64}); }
  CbcEngine(const CbcEngine&) = delete;
  CbcEngine& operator=(const CbcEngine&) = delete;

  ExplicitIvSource ivs;
  CbcPadding padding;
  uint8_t* arena;
  size_t arena_used = 0;

  CbcItem items[max_chunk];
  CbcHashTask hashes[max_chunk];
  CbcCipherTask ciphers[max_chunk];
  IMB_JOB jobs[max_chunk];
  size_t num_hashes = 0;

  void run(IMB_MGR* mgr, RecordOp* const* ops, size_t n) noexcept;

 private:
  bool prepare_seal(RecordOp& op, CbcItem& it) noexcept;
  bool prepare_open(RecordOp& op, CbcItem& it) noexcept;
  void add_hash(const uint8_t* src, uint32_t len, uint8_t* tag, CbcItem& it) noexcept;
  void stage_etm_hash(IMB_MGR* mgr, CbcItem& it, uint16_t fragment_len, uint8_t type, uint16_t version,
                      uint8_t* tag) noexcept;
  void flush_hashes(IMB_MGR* mgr) noexcept;
  void finish_seal(CbcItem& it) noexcept;
  void finish_open_mte(CbcItem& it) noexcept;
  void finish_open_etm(CbcItem& it) noexcept;
};

void CbcEngineDeleter::operator()(CbcEngine* e) const noexcept { delete e; }

Result<CbcEnginePtr> make_cbc_engine(IMB_MGR* mgr, CbcPadding padding) {
  CbcEnginePtr engine(new CbcEngine(mgr, padding));
  Status st = engine->ivs.init();
  if (!st) return st.error();
  return engine;
}

bool CbcEngine::prepare_seal(RecordOp& op, CbcItem& it) noexcept {
  DirectionState& s = *op.state;
  const SuiteInfo& info = suite_info(s.suite);
  const uint32_t len = op.length;
  if (len > max_plaintext_len) {
    op.status = RecordStatus::record_overflow;
    return false;
  }
  if (op.type == ContentType::invalid) {
    op.status = RecordStatus::decode_error;
    return false;
  }
  const uint64_t needed = header_room(s.suite) + uint64_t{len} + tail_room(s.suite);
  if (op.data == nullptr || needed > op.capacity) {
    op.status = RecordStatus::buffer_too_small;
    return false;
  }
  if (s.seq >= s.seq_limit) {
    op.status = RecordStatus::key_exhausted;
    return false;
  }
  // IV, and one byte for the padding choice.
  alignas(16) uint8_t fresh[iv_len + 1];
  if (!ivs.take(fresh, padding == CbcPadding::randomized ? sizeof fresh : iv_len)) {
    op.status = RecordStatus::invalid_state;
    return false;
  }
  it.etm = s.encrypt_then_mac;
  it.mac = info.mac;
  it.mac_len = info.tag_len;
  it.key_len = info.key_len;
  // Minimal TLS padding fills the last block: content [|| MAC] || padding || padding_length.
  const uint32_t unpadded = len + (it.etm ? 0u : it.mac_len) + 1;
  uint32_t pad = (block_len - unpadded % block_len) % block_len;
  if (padding == CbcPadding::randomized) {
    const uint32_t max_extra_blocks = (255 - pad) / block_len;
    pad += block_len * (fresh[iv_len] % (max_extra_blocks + 1));
  }
  std::memcpy(it.iv, fresh, iv_len);

  op.seq = s.seq++;
  it.op = &op;
  it.state = &s;
  it.body = op.data + body_offset;
  it.content_len = len;
  it.body_len = unpadded + pad;
  it.pad = static_cast<uint8_t>(pad);
  it.seal = true;
  it.ok = true;
  it.alive = true;
  return true;
}

bool CbcEngine::prepare_open(RecordOp& op, CbcItem& it) noexcept {
  DirectionState& s = *op.state;
  const SuiteInfo& info = suite_info(s.suite);
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
  if (fragment_len > tls12_max_ciphertext_len) {
    op.status = RecordStatus::record_overflow;
    return false;
  }
  // Too short to hold an IV and a well-formed body, or not whole blocks: it cannot authenticate
  // (RFC 5246 6.2.3.2: every such failure is bad_record_mac).
  const uint32_t mac = info.tag_len;
  const bool etm = s.encrypt_then_mac;
  uint32_t body_len = 0;
  bool well_formed;
  if (etm) {
    well_formed = fragment_len >= iv_len + block_len + mac && (fragment_len - iv_len - mac) % block_len == 0;
    if (well_formed) body_len = fragment_len - iv_len - mac;
  } else {
    const uint32_t min_body = std::max(block_len, (mac + 1 + block_len - 1) / block_len * block_len);
    well_formed = fragment_len >= iv_len + min_body && fragment_len % block_len == 0;
    if (well_formed) body_len = fragment_len - iv_len;
  }
  if (!well_formed) {
    op.status = RecordStatus::bad_record_mac;
    return false;
  }
  if (s.seq >= s.seq_limit) {
    op.status = RecordStatus::key_exhausted;
    return false;
  }
  op.seq = s.seq++;
  it.op = &op;
  it.state = &s;
  it.body = rec + body_offset;
  it.content_len = 0;
  it.body_len = body_len;
  it.mac = info.mac;
  it.mac_len = static_cast<uint8_t>(mac);
  it.key_len = info.key_len;
  it.pad = 0;
  it.seal = false;
  it.etm = etm;
  it.ok = true;
  it.alive = true;
  return true;
}

void CbcEngine::add_hash(const uint8_t* src, uint32_t len, uint8_t* tag, CbcItem& it) noexcept {
  hashes[num_hashes++] = CbcHashTask{src, tag, &it.state->keys.cbc, len, it.mac, &it.ok};
}

void CbcEngine::flush_hashes(IMB_MGR* mgr) noexcept {
  cbc_run_hashes(mgr, jobs, hashes, num_hashes);
  num_hashes = 0;
  arena_used = 0;
}

// Copies seq || type || version || length || IV || ciphertext into the arena and queues its HMAC.
void CbcEngine::stage_etm_hash(IMB_MGR* mgr, CbcItem& it, uint16_t fragment_len, uint8_t type, uint16_t version,
                               uint8_t* tag) noexcept {
  const uint32_t input_len = pseudo_header_len + iv_len + it.body_len;
  const size_t slot_len = (input_len + 63) & ~size_t{63};
  if (arena_used + slot_len > etm_arena_len) flush_hashes(mgr);
  uint8_t* slot = arena + arena_used;
  arena_used += slot_len;
  write_pseudo_header(slot, it.op->seq, type, version, fragment_len);
  std::memcpy(slot + pseudo_header_len, it.op->data + header_len, iv_len + it.body_len);
  add_hash(slot, input_len, tag, it);
}

void CbcEngine::finish_seal(CbcItem& it) noexcept {
  RecordOp& op = *it.op;
  if (!it.ok) {
    secure_wipe(it.body, it.body_len);
    op.status = RecordStatus::invalid_state;
    return;
  }
  op.length = body_offset + it.body_len + (it.etm ? it.mac_len : 0u);
  op.status = RecordStatus::ok;
}

void CbcEngine::finish_open_mte(CbcItem& it) noexcept {
  RecordOp& op = *it.op;
  const uint8_t* rec = op.data;
  if (!it.ok) {
    secure_wipe(it.body, it.body_len);
    op.status = RecordStatus::invalid_state;
    return;
  }
  alignas(16) uint8_t public_header[cbc_public_header_len];
  store_be64(public_header, op.seq);
  std::memcpy(public_header + 8, rec, 3);  // type, version
  const CbcHmacKeys& keys = it.state->keys.cbc;
  const CbcCheckResult r =
      cbc_mte_check(it.mac, keys.ipad_state, keys.opad_state, public_header, it.body, it.body_len);
  // The verdict is public from here on: it decides what the peer is told.
  if (r.good_mask != ~uint32_t{0}) {
    secure_wipe(it.body, it.body_len);
    op.status = RecordStatus::bad_record_mac;
    return;
  }
  if (r.content_len > max_plaintext_len) {
    secure_wipe(it.body, it.body_len);
    op.status = RecordStatus::record_overflow;
    return;
  }
  op.length = r.content_len;
  op.type = static_cast<ContentType>(rec[0]);
  op.status = RecordStatus::ok;
}

// Encrypt-then-MAC: the MAC was verified before decryption, so the padding is authentic and its
// check need not hide anything; it is still done without branches on the bytes.
void CbcEngine::finish_open_etm(CbcItem& it) noexcept {
  RecordOp& op = *it.op;
  if (!it.ok) {
    secure_wipe(it.body, it.body_len);
    op.status = RecordStatus::invalid_state;
    return;
  }
  const uint32_t n = it.body_len;
  const uint32_t pad = it.body[n - 1];
  uint32_t good = ct_mask_lt(pad, n);
  for (uint32_t i = 0; i < std::min<uint32_t>(256, n); ++i) {
    good &= ~(ct_mask_ge(pad, i) & ~ct_mask_eq(it.body[n - 1 - i], pad));
  }
  if (good != ~uint32_t{0}) {
    secure_wipe(it.body, n);
    op.status = RecordStatus::bad_record_mac;
    return;
  }
  const uint32_t content_len = n - 1 - pad;
  if (content_len > max_plaintext_len) {
    secure_wipe(it.body, n);
    op.status = RecordStatus::record_overflow;
    return;
  }
  op.length = content_len;
  op.type = static_cast<ContentType>(op.data[0]);
  op.status = RecordStatus::ok;
}

void CbcEngine::run(IMB_MGR* mgr, RecordOp* const* ops, size_t n) noexcept {
  // Frame every op and reserve its sequence number, in array order.
  size_t num_items = 0;
  for (size_t i = 0; i < n; ++i) {
    RecordOp& op = *ops[i];
    CbcItem& it = items[num_items];
    const bool framed = op.kind == RecordOpKind::seal ? prepare_seal(op, it) : prepare_open(op, it);
    num_items += framed;
  }
  if (num_items == 0) return;

  // Phase 1, HMAC: MAC-then-encrypt seals hash pseudo-header || content, with the pseudo-header
  // written into the 13 bytes of header/IV room just before the content (replaced by the real
  // header and IV afterwards). Encrypt-then-MAC opens verify the MAC before anything is decrypted.
  num_hashes = 0;
  arena_used = 0;
  for (size_t i = 0; i < num_items; ++i) {
    CbcItem& it = items[i];
    if (it.seal && !it.etm) {
      uint8_t* ph = it.body - pseudo_header_len;
      write_pseudo_header(ph, it.op->seq, static_cast<uint8_t>(it.op->type), legacy_record_version,
                          static_cast<uint16_t>(it.content_len));
      add_hash(ph, pseudo_header_len + it.content_len, it.body + it.content_len, it);
    } else if (!it.seal && it.etm) {
      const uint8_t* rec = it.op->data;
      stage_etm_hash(mgr, it, static_cast<uint16_t>(iv_len + it.body_len), rec[0], load_be16(rec + 1),
                     it.computed_mac);
    }
  }
  flush_hashes(mgr);

  // Phase 2, CBC: pad and encrypt seals, decrypt opens (encrypt-then-MAC only when authentic).
  size_t num_ciphers = 0;
  for (size_t i = 0; i < num_items; ++i) {
    CbcItem& it = items[i];
    uint8_t* rec = it.op->data;
    if (it.seal) {
      const uint32_t pad_at = it.content_len + (it.etm ? 0u : it.mac_len);
      std::memset(it.body + pad_at, it.pad, it.pad + 1u);
      const uint32_t fragment_len = iv_len + it.body_len + (it.etm ? it.mac_len : 0u);
      write_header(rec, it.op->type, legacy_record_version, static_cast<uint16_t>(fragment_len));
      std::memcpy(rec + header_len, it.iv, iv_len);
    } else if (it.etm) {
      if (!it.ok) continue;  // finished below as invalid_state
      if (!constant_time_equal(it.computed_mac, it.body + it.body_len, it.mac_len)) {
        it.op->status = RecordStatus::bad_record_mac;
        it.alive = false;
        continue;
      }
    }
    if (!it.ok) continue;
    ciphers[num_ciphers++] =
        CbcCipherTask{it.body, it.body, rec + header_len, &it.state->keys.cbc, it.body_len, it.key_len, it.seal, &it.ok};
  }
  cbc_run_ciphers(mgr, jobs, ciphers, num_ciphers);

  // Phase 3, HMAC of encrypt-then-MAC seals: seq || header' || IV || ciphertext, MAC appended.
  for (size_t i = 0; i < num_items; ++i) {
    CbcItem& it = items[i];
    if (!it.seal || !it.etm || !it.ok) continue;
    stage_etm_hash(mgr, it, static_cast<uint16_t>(iv_len + it.body_len), static_cast<uint8_t>(it.op->type),
                   legacy_record_version, it.body + it.body_len);
  }
  flush_hashes(mgr);

  // Phase 4: statuses; MAC-then-encrypt opens get their constant-time padding and MAC check.
  for (size_t i = 0; i < num_items; ++i) {
    CbcItem& it = items[i];
    if (!it.alive) continue;
    if (it.seal) {
      finish_seal(it);
    } else if (it.etm) {
      finish_open_etm(it);
    } else {
      finish_open_mte(it);
    }
  }
}

void cbc_process(CbcEngine& engine, IMB_MGR* mgr, RecordOp* const* ops, size_t n) noexcept {
  for (size_t base = 0; base < n; base += max_chunk) {
    engine.run(mgr, ops + base, std::min(n - base, max_chunk));
  }
}

}  // namespace tlsburst::record
