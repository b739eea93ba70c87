// DPDK rings the engine owns: input rings of InputEntry (many producers, one worker consuming),
// completion rings of CompletionEntry and reply rings of pointers (one worker producing, one
// thread consuming). See ring_entry.hpp for the entries.
//
// The ring memory comes from the process heap (rte_ring_init), not from DPDK memzones, so rings do
// not depend on EAL memory size and can be used before or without rte_eal_init.
//
// Multi-producer (input) rings use DPDK's relaxed tail sync mode (RTS): a producer never spins
// waiting for another producer to finish its copy, which matters when application threads
// outnumber the CPUs and one may be preempted mid-enqueue. Always go through input_enqueue() and
// input_peek() / input_release() for them.
//
// ThreadSanitizer: the engine is built with RTE_USE_C11_MEM_MODEL, so single-producer/single-
// consumer rings hand over with an acquire/release pair on the same word, which TSan sees. The
// multi-producer modes synchronise through 8-byte CASes and 4-byte loads of overlapping words (and
// classic MP through relaxed tail waits), which it does not; under TSan input_enqueue(),
// input_peek() and input_release() therefore run the ring code uninstrumented and state the
// happens-before the ring provides with __tsan_release / __tsan_acquire on the ring. Without TSan
// they are the plain DPDK calls.
#pragma once

#ifndef RTE_USE_C11_MEM_MODEL
#error "engine/core must be built with -DRTE_USE_C11_MEM_MODEL (tlsburst_engine_dep sets it)"
#endif

#include <rte_ring.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

#include "engine/common/result.hpp"
#include "engine/core/ring_entry.hpp"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define TLSBURST_TSAN 1
#endif

namespace tlsburst::engine {

#if defined(TLSBURST_TSAN)
namespace detail {
__attribute__((no_sanitize("thread"))) inline unsigned raw_enqueue_bulk(rte_ring* r, const InputEntry* items,
                                                                        unsigned n, unsigned* free_space) {
  return rte_ring_enqueue_bulk_elem(r, items, sizeof(InputEntry), n, free_space);
}
__attribute__((no_sanitize("thread"))) inline unsigned raw_peek(rte_ring* r, unsigned n, rte_ring_zc_data* zcd,
                                                                unsigned* remaining) {
  return rte_ring_dequeue_zc_burst_elem_start(r, sizeof(InputEntry), n, zcd, remaining);
}
__attribute__((no_sanitize("thread"))) inline void raw_release(rte_ring* r, unsigned n) {
  rte_ring_dequeue_zc_elem_finish(r, n);
}
}  // namespace detail

// Enqueues all n entries into an input ring, or none (any thread); returns n or 0. `free_space`,
// when given, receives the free slots left (after a failure: how many there were).
inline unsigned input_enqueue(rte_ring* r, const InputEntry* items, unsigned n,
                              unsigned* free_space = nullptr) noexcept {
  __tsan_release(r);  // everything written before handing the entries over
  return detail::raw_enqueue_bulk(r, items, n, free_space);
}
inline unsigned input_peek_raw(rte_ring* r, unsigned n, rte_ring_zc_data* zcd, unsigned* remaining) noexcept {
  const unsigned got = detail::raw_peek(r, n, zcd, remaining);
  if (got != 0) __tsan_acquire(r);
  return got;
}
inline void input_release(rte_ring* r, unsigned n) noexcept { detail::raw_release(r, n); }
#else
inline unsigned input_enqueue(rte_ring* r, const InputEntry* items, unsigned n,
                              unsigned* free_space = nullptr) noexcept {
  return rte_ring_enqueue_bulk_elem(r, items, sizeof(InputEntry), n, free_space);
}
inline unsigned input_peek_raw(rte_ring* r, unsigned n, rte_ring_zc_data* zcd, unsigned* remaining) noexcept {
  return rte_ring_dequeue_zc_burst_elem_start(r, sizeof(InputEntry), n, zcd, remaining);
}
// Gives the n entries of the last input_peek() back to the producers.
inline void input_release(rte_ring* r, unsigned n) noexcept { rte_ring_dequeue_zc_elem_finish(r, n); }
#endif

// Zero-copy dequeue for an input ring's consumer: up to n entries, read where they are in the ring
// (in at most two pieces when they wrap around its end). They stay reserved -- producers cannot
// overwrite them -- until input_release(). Returns how many.
struct InputView {
  const InputEntry* first = nullptr;
  const InputEntry* second = nullptr;
  unsigned num_first = 0;
  const InputEntry& operator[](unsigned i) const noexcept { return i < num_first ? first[i] : second[i - num_first]; }
};
inline unsigned input_peek(rte_ring* r, unsigned n, InputView& view, unsigned* remaining) noexcept {
  rte_ring_zc_data zcd{};
  const unsigned got = input_peek_raw(r, n, &zcd, remaining);
  view.first = static_cast<const InputEntry*>(zcd.ptr1);
  view.second = static_cast<const InputEntry*>(zcd.ptr2);
  view.num_first = zcd.n1;
  return got;
}

// Completion rings (single producer, single consumer; C11 acquire/release, seen by TSan). The
// producer writes the entries into the ring slots itself, 32 bytes at a time (DPDK's generic
// element copy goes 4 bytes at a time).
// With `done_tsc`, every entry's done_tsc is set to it on the way.
inline unsigned completion_enqueue(rte_ring* r, const CompletionEntry* items, unsigned n,
                                   std::optional<uint64_t> done_tsc = std::nullopt) noexcept {
  rte_ring_zc_data zcd{};
  const unsigned k = rte_ring_enqueue_zc_burst_elem_start(r, sizeof(CompletionEntry), n, &zcd, nullptr);
  if (k == 0) return 0;
  auto copy = [&](CompletionEntry* dst, const CompletionEntry* src, unsigned num) {
    for (unsigned i = 0; i < num; ++i) {
      dst[i] = src[i];
      if (done_tsc) dst[i].done_tsc = *done_tsc;
    }
  };
  const unsigned n1 = std::min(k, zcd.n1);
  copy(static_cast<CompletionEntry*>(zcd.ptr1), items, n1);
  if (k > n1) copy(static_cast<CompletionEntry*>(zcd.ptr2), items + n1, k - n1);
  rte_ring_enqueue_zc_elem_finish(r, k);
  return k;
}
inline unsigned completion_dequeue(rte_ring* r, CompletionEntry* items, unsigned n) noexcept {
  return rte_ring_sc_dequeue_burst_elem(r, items, sizeof(CompletionEntry), n, nullptr);
}

// For cache prefetches on a ring's slots, from the side that owns the index they start at: where
// slot `index` (a ring position, not yet masked) lives, and the consumer's and producer's next
// positions. They read the ring's fields (public in rte_ring_core.h) without synchronisation,
// which is fine for the owning side's own index and for the constant size fields, and for a
// prefetch in any case: a prefetch changes nothing that is read later.
inline const uint8_t* ring_slot(const rte_ring* r, size_t elem_len, uint32_t index) noexcept {
  return reinterpret_cast<const uint8_t*>(r + 1) + size_t{index & r->mask} * elem_len;
}
inline uint32_t consumer_head(const rte_ring* r) noexcept { return __atomic_load_n(&r->cons.head, __ATOMIC_RELAXED); }
inline uint32_t producer_head(const rte_ring* r) noexcept { return __atomic_load_n(&r->prod.head, __ATOMIC_RELAXED); }

enum class RingProducers : uint8_t { single, multi };

class Ring {
 public:
  // A ring holding exactly `capacity` entries of `elem_len` bytes (a multiple of 4; a single
  // consumer always).
  static Result<Ring> create(const std::string& name, uint32_t capacity, RingProducers producers,
                             uint32_t elem_len = sizeof(void*));

  Ring() = default;
  Ring(Ring&& other) noexcept : _ring(other._ring) { other._ring = nullptr; }
  Ring& operator=(Ring&& other) noexcept;
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  ~Ring();

  rte_ring* get() const noexcept { return _ring; }
  uint32_t capacity() const noexcept { return rte_ring_get_capacity(_ring); }
  uint32_t count() const noexcept { return rte_ring_count(_ring); }

 private:
  explicit Ring(rte_ring* ring) : _ring(ring) {}
  rte_ring* _ring = nullptr;
};

}  // namespace tlsburst::engine
