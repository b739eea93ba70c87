#include "bench/record/cryptodev_case.hpp"

#include <rte_cryptodev.h>
#include <rte_errno.h>

#include <string>

namespace tlsburst::bench {

namespace {
void no_free(void*, void*) {}  // the slots belong to the ring
}  // namespace

Status CryptodevCase::prepare(struct rte_crypto_sym_xform* xform, uint8_t* slots, uint32_t num_slots,
                              uint32_t stride) {
  release();
  _env = cryptodev_env();
  if (_env == nullptr) {
    return make_error(Alert::internal_error, "cryptodev unavailable: " + std::string(cryptodev_env_error()));
  }
  if (num_slots > CryptodevEnv::num_mbufs || stride > UINT16_MAX) {
    return make_error(Alert::internal_error, "cryptodev: ring too large for the mbuf pool");
  }
  _session = rte_cryptodev_sym_session_create(_env->dev_id, xform, _env->session_pool);
  if (_session == nullptr) {
    return make_error(Alert::internal_error, "rte_cryptodev_sym_session_create: " + std::string(rte_strerror(rte_errno)));
  }
  if (rte_crypto_op_bulk_alloc(_env->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC, _ops.data(), max_bench_burst) !=
      max_bench_burst) {
    return make_error(Alert::internal_error, "cryptodev: crypto op pool exhausted");
  }
  _have_ops = true;
  for (rte_crypto_op* op : _ops) rte_crypto_op_attach_sym_session(op, _session);
  _mbufs.assign(num_slots, nullptr);
  if (rte_pktmbuf_alloc_bulk(_env->mbuf_pool, _mbufs.data(), num_slots) != 0) {
    _mbufs.clear();
    return make_error(Alert::internal_error, "cryptodev: mbuf pool exhausted");
  }
  _shinfo.free_cb = no_free;
  _shinfo.fcb_opaque = nullptr;
  rte_mbuf_ext_refcnt_set(&_shinfo, static_cast<uint16_t>(num_slots));
  for (uint32_t i = 0; i < num_slots; ++i) {
    uint8_t* slot = slots + size_t{i} * stride;
    rte_pktmbuf_attach_extbuf(_mbufs[i], slot, va_iova(slot), static_cast<uint16_t>(stride), &_shinfo);
  }
  return Status::success();
}

std::span<rte_crypto_op* const> CryptodevCase::process(uint32_t n) noexcept {
  uint32_t num_submitted = 0, num_done = 0, num_idle_polls = 0;
  while (num_done < n) {
    if (num_submitted < n) {
      num_submitted += rte_cryptodev_enqueue_burst(_env->dev_id, _env->qp_id, _ops.data() + num_submitted,
                                                   static_cast<uint16_t>(n - num_submitted));
    }
    const uint16_t got = rte_cryptodev_dequeue_burst(_env->dev_id, _env->qp_id, _done.data() + num_done,
                                                     static_cast<uint16_t>(num_submitted - num_done));
    num_done += got;
    if (got == 0 && ++num_idle_polls > (1u << 20)) break;  // lost ops: the caller counts them failed
  }
  return {_done.data(), num_done};
}

void CryptodevCase::release() noexcept {
  for (rte_mbuf* m : _mbufs) rte_pktmbuf_free(m);
  _mbufs.clear();
  if (_have_ops) {
    for (rte_crypto_op* op : _ops) rte_crypto_op_free(op);
    _have_ops = false;
  }
  if (_session != nullptr) rte_cryptodev_sym_session_free(_env->dev_id, _session);
  _session = nullptr;
}

}  // namespace tlsburst::bench
