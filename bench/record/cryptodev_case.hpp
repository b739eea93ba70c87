// What a cryptodev contender holds for one benchmark case, for the AEAD and the CBC chains alike:
// a session of the given transform chain on the benchmark's crypto_aesni_mb device, a burst of
// crypto ops attached to it (allocated once and reused: the cryptodev best case), and one mbuf
// per ring slot with the slot attached as an external buffer, so that the bytes processed are the
// ring every other contender uses. Everything is released with the object.
#pragma once

#include <rte_crypto.h>
#include <rte_mbuf.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "bench/record/contender.hpp"
#include "bench/record/cryptodev_env.hpp"
#include "engine/common/result.hpp"

namespace tlsburst::bench {

// The IO address DPDK is given for a virtual address (the benchmark runs in IOVA-as-VA mode).
inline rte_iova_t va_iova(const void* p) { return static_cast<rte_iova_t>(reinterpret_cast<uintptr_t>(p)); }

class CryptodevCase {
 public:
  CryptodevCase() = default;
  CryptodevCase(const CryptodevCase&) = delete;
  CryptodevCase& operator=(const CryptodevCase&) = delete;
  ~CryptodevCase() { release(); }

  // The session for `xform` (a chain: xform->next), the ops, and mbufs over `num_slots` ring slots
  // of `stride` bytes each from `slots`. Fails when cryptodev is unavailable (with the reason) or a
  // pool runs out.
  Status prepare(struct rte_crypto_sym_xform* xform, uint8_t* slots, uint32_t num_slots, uint32_t stride);

  const CryptodevEnv& env() const { return *_env; }
  // Op i of the burst (i < max_bench_burst), attached to the session.
  rte_crypto_op* op(uint32_t i) const { return _ops[i]; }
  // The mbuf over ring slot `slot`.
  rte_mbuf* mbuf(uint32_t slot) const { return _mbufs[slot]; }

  // Enqueues ops 0..n-1 and dequeues until all are back; a device that stops returning ops is
  // given up on after about a million empty polls. Returns the ops dequeued, in dequeue order.
  std::span<rte_crypto_op* const> process(uint32_t n) noexcept;

 private:
  void release() noexcept;

  const CryptodevEnv* _env = nullptr;
  void* _session = nullptr;
  bool _have_ops = false;
  std::array<rte_crypto_op*, max_bench_burst> _ops{};
  std::array<rte_crypto_op*, max_bench_burst> _done{};
  std::vector<rte_mbuf*> _mbufs;
  struct rte_mbuf_ext_shared_info _shinfo = {};
};

}  // namespace tlsburst::bench
