// DPDK rings the engine owns: input rings (many producers, one worker consuming), completion and
// reply rings (one worker producing, one thread consuming).
//
// The ring memory comes from the process heap (rte_ring_init), not from DPDK memzones, so rings do
// not depend on EAL memory size and can be used before or without rte_eal_init.
//
// Multi-producer (input) rings use DPDK's relaxed tail sync mode (RTS): a producer never spins
// waiting for another producer to finish its copy, which matters when application threads
// outnumber the CPUs and one may be preempted mid-enqueue. Always go through input_enqueue() and
// input_dequeue() for them.
//
// ThreadSanitizer: the engine is built with RTE_USE_C11_MEM_MODEL, so single-producer/single-
// consumer rings hand over with an acquire/release pair on the same word, which TSan sees. The
// multi-producer modes synchronise through 8-byte CASes and 4-byte loads of overlapping words (and
// classic MP through relaxed tail waits), which it does not; under TSan input_enqueue() and
// input_dequeue() therefore run the ring code uninstrumented and state the happens-before the ring
// provides with __tsan_release / __tsan_acquire on the ring. Without TSan they are the plain DPDK
// calls.
#pragma once

#ifndef RTE_USE_C11_MEM_MODEL
#error "engine/core must be built with -DRTE_USE_C11_MEM_MODEL (tlsburst_engine_dep sets it)"
#endif

#include <rte_ring.h>

#include <cstdint>
#include <string>

#include "engine/common/result.hpp"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define TLSBURST_TSAN 1
#endif

namespace tlsburst::engine {

#if defined(TLSBURST_TSAN)
namespace detail {
__attribute__((no_sanitize("thread"))) inline unsigned raw_enqueue(rte_ring* r, void* const* items, unsigned n) {
  return rte_ring_enqueue_burst(r, items, n, nullptr);
}
__attribute__((no_sanitize("thread"))) inline unsigned raw_dequeue(rte_ring* r, void** items, unsigned n,
                                                                   unsigned* remaining) {
  return rte_ring_sc_dequeue_burst(r, items, n, remaining);
}
}  // namespace detail

// Enqueues up to n entries into an input ring (any thread); returns how many.
inline unsigned input_enqueue(rte_ring* r, void* const* items, unsigned n) noexcept {
  __tsan_release(r);  // everything written before handing the entries over
  return detail::raw_enqueue(r, items, n);
}
// Dequeues up to n entries from an input ring (its one consumer); returns how many.
inline unsigned input_dequeue(rte_ring* r, void** items, unsigned n, unsigned* remaining) noexcept {
  const unsigned got = detail::raw_dequeue(r, items, n, remaining);
  if (got != 0) __tsan_acquire(r);
  return got;
}
#else
inline unsigned input_enqueue(rte_ring* r, void* const* items, unsigned n) noexcept {
  return rte_ring_enqueue_burst(r, items, n, nullptr);
}
inline unsigned input_dequeue(rte_ring* r, void** items, unsigned n, unsigned* remaining) noexcept {
  return rte_ring_sc_dequeue_burst(r, items, n, remaining);
}
#endif

enum class RingProducers : uint8_t { single, multi };

class Ring {
 public:
  // A ring holding exactly `capacity` entries (a single consumer always).
  static Result<Ring> create(const std::string& name, uint32_t capacity, RingProducers producers);

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
