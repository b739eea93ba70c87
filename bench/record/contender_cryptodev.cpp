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
#include "bench/record/cryptodev_case.hpp"
#include "bench/record/cryptodev_env.hpp"
#include "bench/record/tls_framing.hpp"

namespace tlsburst::bench {

namespace {

class CryptodevContender final : public Contender {
 public:
  Status prepare(const BenchCase& c, const BenchKeys& keys, RecordRing& ring) override {
    const CryptodevEnv* env = cryptodev_env();
    if (env == nullptr) {
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
    const struct rte_cryptodev_symmetric_capability* cap = rte_cryptodev_sym_capability_get(env->dev_id, &idx);
    if (cap == nullptr || rte_cryptodev_sym_capability_check_aead(cap, xform.aead.key.length, xform.aead.digest_length,
                                                                  xform.aead.aad_length, xform.aead.iv.length) != 0) {
      return make_error(Alert::internal_error, "cryptodev: crypto_aesni_mb does not support " +
                                                   std::string(_info->name));
    }
    return _dev.prepare(&xform, ring.slot(0), ring.num_slots(), ring.slot_capacity());
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
      rte_mbuf* m = _dev.mbuf(first + i);
      m->data_len = static_cast<uint16_t>(f.record_len);
      m->pkt_len = f.record_len;
      rte_crypto_op* op = _dev.op(num_ops);
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

    uint32_t num_ok = 0;
    for (rte_crypto_op* op : _dev.process(num_ops)) {
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
  const record::SuiteInfo* _info = nullptr;
  RecordRing* _ring = nullptr;
  bool _seal = true;
  alignas(16) uint8_t _fixed_iv[16] = {};  // zero after fixed_iv_len
  uint64_t _seq = 0;
  CryptodevCase _dev;
};

}  // namespace

std::unique_ptr<Contender> make_cryptodev() { return std::make_unique<CryptodevContender>(); }

}  // namespace tlsburst::bench
