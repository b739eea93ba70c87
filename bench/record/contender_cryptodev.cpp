// Contender "cryptodev": what DPDK users pick. The crypto_aesni_mb PMD through the cryptodev API:
// one AEAD session per case (rte_cryptodev_sym_session_create), one mbuf per ring slot (from an
// rte_pktmbuf_pool, with the slot attached as external buffer, so the bytes are the same ring
// every other contender uses), and per run() one enqueue burst and dequeues until every op is
// back. Per record the timed loop does the same TLS framing as the other baselines and fills the
// op (mbuf, offsets, digest, nonce, AAD). The ops are allocated once and reused (the cryptodev
// best case: no op alloc/free per burst).
#include <rte_crypto.h>
#include <rte_cryptodev.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "bench/record/contender.hpp"
#include "bench/record/cryptodev_env.hpp"
#include "bench/record/tls_framing.hpp"

namespace tlsburst::bench {

namespace {

void no_free(void*, void*) {}

rte_iova_t va_iova(const void* p) { return static_cast<rte_iova_t>(reinterpret_cast<uintptr_t>(p)); }

class CryptodevContender final : public Contender {
 public:
  ~CryptodevContender() override { release(); }

  Status prepare(const BenchCase& c, const BenchKeys& keys, RecordRing& ring) override {
    _env = cryptodev_env();
    if (_env == nullptr) {
      return make_error(Alert::internal_error, "cryptodev unavailable: " + std::string(cryptodev_env_error()));
    }
    _info = &keys.info();
    _ring = &ring;
    _seal = c.direction == Direction::seal;
    std::memcpy(_fixed_iv, keys.iv.data(), sizeof _fixed_iv);
    const bool tls13 = _info->version == record::ProtocolVersion::tls13;

    struct rte_crypto_sym_xform xform = {};
    xform.type = RTE_CRYPTO_SYM_XFORM_AEAD;
    xform.next = nullptr;
    switch (_info->family) {
      case record::CipherFamily::aes_gcm: xform.aead.algo = RTE_CRYPTO_AEAD_AES_GCM; break;
      case record::CipherFamily::chacha20_poly1305: xform.aead.algo = RTE_CRYPTO_AEAD_CHACHA20_POLY1305; break;
      case record::CipherFamily::aes_cbc_hmac:
        return make_error(Alert::internal_error, "cryptodev: CBC chains not implemented yet");
    }
    xform.aead.op = _seal ? RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT;
    xform.aead.key.data = keys.key.data();
    xform.aead.key.length = _info->key_len;
    xform.aead.iv.offset = CryptodevEnv::iv_offset;
    xform.aead.iv.length = aead_nonce_len;
    xform.aead.digest_length = aead_tag_len;
    xform.aead.aad_length = tls13 ? record::header_len : 13;

    struct rte_cryptodev_sym_capability_idx idx = {};
    idx.type = RTE_CRYPTO_SYM_XFORM_AEAD;
    idx.algo.aead = xform.aead.algo;
    const struct rte_cryptodev_symmetric_capability* cap = rte_cryptodev_sym_capability_get(_env->dev_id, &idx);
    if (cap == nullptr || rte_cryptodev_sym_capability_check_aead(cap, xform.aead.key.length, xform.aead.digest_length,
                                                                  xform.aead.aad_length, xform.aead.iv.length) != 0) {
      return make_error(Alert::internal_error, "cryptodev: crypto_aesni_mb does not support " +
                                                   std::string(_info->name));
    }
    _session = rte_cryptodev_sym_session_create(_env->dev_id, &xform, _env->session_pool);
    if (_session == nullptr) {
      return make_error(Alert::internal_error, "rte_cryptodev_sym_session_create: " + std::string(rte_strerror(rte_errno)));
    }
    if (rte_crypto_op_bulk_alloc(_env->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC, _ops.data(), max_bench_burst) !=
        max_bench_burst) {
      return make_error(Alert::internal_error, "cryptodev: crypto op pool exhausted");
    }
    _have_ops = true;
    for (rte_crypto_op* op : _ops) rte_crypto_op_attach_sym_session(op, _session);

    const uint32_t num_slots = ring.num_slots();
    if (num_slots > UINT16_MAX || ring.slot_capacity() > UINT16_MAX) {
      return make_error(Alert::internal_error, "cryptodev: ring too large for mbufs");
    }
    _mbufs.assign(num_slots, nullptr);
    if (rte_pktmbuf_alloc_bulk(_env->mbuf_pool, _mbufs.data(), num_slots) != 0) {
      _mbufs.clear();
      return make_error(Alert::internal_error, "cryptodev: mbuf pool exhausted");
    }
    _shinfo.free_cb = no_free;
    _shinfo.fcb_opaque = nullptr;
    rte_mbuf_ext_refcnt_set(&_shinfo, static_cast<uint16_t>(num_slots));
    for (uint32_t i = 0; i < num_slots; ++i) {
      uint8_t* slot = ring.slot(i);
      rte_pktmbuf_attach_extbuf(_mbufs[i], slot, va_iova(slot), static_cast<uint16_t>(ring.slot_capacity()), &_shinfo);
    }
    return Status::success();
  }

  uint32_t run(uint32_t first, uint32_t n) noexcept override {
    const bool tls13 = _info->version == record::ProtocolVersion::tls13;
    uint32_t num_ops = 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t* rec = _ring->slot(first + i);
      AeadFrame f;
      if (_seal) {
        frame_seal(*_info, _fixed_iv, _seq, rec, _ring->plaintext_len(), f);
      } else if (!frame_open(*_info, _fixed_iv, _seq, rec, _ring->record_len(), f)) {
        continue;
      }
      ++_seq;
      rte_mbuf* m = _mbufs[first + i];
      m->data_len = static_cast<uint16_t>(f.record_len);
      m->pkt_len = f.record_len;
      rte_crypto_op* op = _ops[num_ops];
      op->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
      rte_crypto_sym_op* sym = op->sym;
      sym->m_src = m;
      sym->m_dst = nullptr;
      sym->aead.data.offset = f.payload_offset;
      sym->aead.data.length = f.payload_len;
      uint8_t* tag = rec + f.payload_offset + f.payload_len;
      sym->aead.digest.data = tag;
      sym->aead.digest.phys_addr = va_iova(tag);
      std::memcpy(rte_crypto_op_ctod_offset(op, uint8_t*, CryptodevEnv::iv_offset), f.nonce, aead_nonce_len);
      if (tls13) {  // the AAD is the record header itself
        sym->aead.aad.data = rec;
        sym->aead.aad.phys_addr = va_iova(rec);
      } else {
        uint8_t* aad = rte_crypto_op_ctod_offset(op, uint8_t*, CryptodevEnv::aad_offset);
        std::memcpy(aad, f.aad, f.aad_len);
        sym->aead.aad.data = aad;
        sym->aead.aad.phys_addr = rte_crypto_op_ctophys_offset(op, CryptodevEnv::aad_offset);
      }
      ++num_ops;
    }

    uint32_t num_submitted = 0;
    uint32_t num_done = 0;
    uint32_t num_idle_polls = 0;
    while (num_done < num_ops) {
      if (num_submitted < num_ops) {
        num_submitted += rte_cryptodev_enqueue_burst(_env->dev_id, _env->qp_id, _ops.data() + num_submitted,
                                                     static_cast<uint16_t>(num_ops - num_submitted));
      }
      const uint16_t num_got = rte_cryptodev_dequeue_burst(_env->dev_id, _env->qp_id, _done.data() + num_done,
                                                           static_cast<uint16_t>(num_submitted - num_done));
      num_done += num_got;
      // A device that loses ops: give up and count them as failed.
      if (num_got == 0 && ++num_idle_polls > (1u << 20)) break;
    }

    uint32_t num_ok = 0;
    for (uint32_t i = 0; i < num_done; ++i) {
      rte_crypto_op* op = _done[i];
      if (op->status != RTE_CRYPTO_OP_STATUS_SUCCESS) continue;
      if (!_seal && tls13) {
        rte_crypto_sym_op* sym = op->sym;
        const uint8_t* payload = rte_pktmbuf_mtod_offset(sym->m_src, const uint8_t*, sym->aead.data.offset);
        if (tls13_inner_plaintext_len(payload, sym->aead.data.length) < 0) continue;
      }
      ++num_ok;
    }
    return num_ok;
  }

  void rewind() noexcept override { _seq = 0; }

 private:
  void release() {
    for (rte_mbuf* m : _mbufs) rte_pktmbuf_free(m);
    _mbufs.clear();
    if (_have_ops) {
      for (rte_crypto_op* op : _ops) rte_crypto_op_free(op);
      _have_ops = false;
    }
    if (_session != nullptr) rte_cryptodev_sym_session_free(_env->dev_id, _session);
    _session = nullptr;
  }

  const CryptodevEnv* _env = nullptr;
  const record::SuiteInfo* _info = nullptr;
  RecordRing* _ring = nullptr;
  bool _seal = true;
  alignas(16) uint8_t _fixed_iv[16] = {};  // zero after fixed_iv_len
  uint64_t _seq = 0;
  void* _session = nullptr;
  bool _have_ops = false;
  std::array<rte_crypto_op*, max_bench_burst> _ops{};
  std::array<rte_crypto_op*, max_bench_burst> _done{};
  std::vector<rte_mbuf*> _mbufs;
  struct rte_mbuf_ext_shared_info _shinfo = {};
};

}  // namespace

std::unique_ptr<Contender> make_cryptodev() { return std::make_unique<CryptodevContender>(); }

}  // namespace tlsburst::bench
