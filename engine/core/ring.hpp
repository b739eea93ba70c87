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
// an InputConsumer for them.
//
// ThreadSanitizer: the engine is built with RTE_USE_C11_MEM_MODEL, so single-producer/single-
// consumer rings hand over with an acquire/release pair on the same word, which TSan sees. The
// multi-producer modes synchronise through 8-byte CASes and 4-byte loads of overlapping words (and
// classic MP through relaxed tail waits), which it does not; under TSan input_enqueue() and
// InputConsumer therefore touch the ring's indexes uninstrumented and state the happens-before
// the ring provides with __tsan_release / __tsan_acquire on the ring.
#pragma once

#ifndef RTE_USE_C11_MEM_MODEL
#error "engine/core must be built with -DRTE_USE_C11_MEM_MODEL (tlsburst_engine_dep sets it)"
#endif

#include <rte_debug.h>
#include <rte_ring.h>

#include <immintrin.h>

#include <algorithm>
#include <cstdint>
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
}  // namespace detail

// Enqueues all n entries into an input ring, or none (any thread); returns n or 0. `free_space`,
// when given, receives the free slots left (after a failure: how many there were).
inline unsigned input_enqueue(rte_ring* r, const InputEntry* items, unsigned n,
                              unsigned* free_space = nullptr) noexcept {
  __tsan_release(r);  // everything written before handing the entries over
  return detail::raw_enqueue_bulk(r, items, n, free_space);
}
#else
inline unsigned input_enqueue(rte_ring* r, const InputEntry* items, unsigned n,
                              unsigned* free_space = nullptr) noexcept {
  return rte_ring_enqueue_bulk_elem(r, items, sizeof(InputEntry), n, free_space);
}
#endif

// After a successful input_enqueue() of n entries: pushes the cache lines of those ring slots out
// of this core's private caches into the shared cache (CLDEMOTE), so that the worker's reads of
// them are served from there instead of each waiting for a snoop of this core (measured: about
// 0.3 ns less of the worker's time per 64-byte record). A hint and nothing else: the slots are
// taken to end at the producers' head, which is exact unless another producer enqueued since, and
// demoting other lines changes no data. A no-op when the build does not target CLDEMOTE.
#if defined(TLSBURST_TSAN)
__attribute__((no_sanitize("thread")))
#endif
inline void input_demote_enqueued(rte_ring* r, unsigned n) noexcept {
#if defined(__CLDEMOTE__)
  static_assert(sizeof(InputEntry) * 2 == RTE_CACHE_LINE_SIZE, "an even position starts a line");
  // (For RTS producers, rts_prod.head.val.pos is the producers' head.)
  const uint32_t end = __atomic_load_n(&r->rts_prod.head.val.pos, __ATOMIC_RELAXED);
  uint8_t* const slots = reinterpret_cast<uint8_t*>(r + 1);
  for (uint32_t k = 0; k < n; ++k) {
    const uint32_t pos = end - n + k;
    if (k == 0 || (pos & 1) == 0) _cldemote(slots + size_t{pos & r->mask} * sizeof(InputEntry));
  }
#else
  (void)r;
  (void)n;
#endif
}

// Entries an InputConsumer peeked at, in place in the ring: at most two pieces.
struct InputView {
  const InputEntry* first = nullptr;
  const InputEntry* second = nullptr;
  unsigned num_first = 0;
  const InputEntry& operator[](unsigned i) const noexcept { return i < num_first ? first[i] : second[i - num_first]; }
};

// The consumer side of an input ring (its one worker): reads entries where they lie in the ring, in
// at most two pieces when they wrap around its end, and gives the slots back afterwards.
//
// It keeps its position to itself instead of going through DPDK's zero-copy dequeue, which reads
// the consumer's cache line (sync type, head) at both ends of every burst: the producers read that
// line on every enqueue (the free space), so on a busy ring each of those reads waited for a
// transfer from a submitting core. Here the worker only stores to that line. It follows the
// layout in rte_ring_core.h: the producers' tail (for RTS producers too: rts_prod.tail.val.pos
// is prod.tail), and the consumer's head and tail, which producers read.
class InputConsumer {
 public:
  explicit InputConsumer(rte_ring* r) noexcept : _r(r), _head(r->cons.head), _known_tail(_head) {}

  // Up to n entries, which stay reserved (producers cannot overwrite them) until release();
  // `remaining`, when given, receives how many more there were at least. Returns how many.
  //
  // The producers' tail is read only when the entries known to be there from the last read are
  // fewer than n: on a busy ring, where the submitters have just written it, every read of it
  // waits for a transfer from their core. (Entries below a tail read with acquire stay visible.)
  unsigned peek(unsigned n, InputView& view, unsigned* remaining) noexcept {
    if (_known_tail - _head < n) _known_tail = producer_tail();
    const uint32_t avail = _known_tail - _head;
    const uint32_t got = std::min<uint32_t>(n, avail);
    if (remaining != nullptr) *remaining = avail - got;
    if (got == 0) return 0;
#if defined(TLSBURST_TSAN)
    __tsan_acquire(_r);  // what the producers wrote before their enqueue
#endif
    const uint32_t index = _head & _r->mask;
    const InputEntry* const slots = reinterpret_cast<const InputEntry*>(_r + 1);
    view.first = slots + index;
    view.num_first = std::min<uint32_t>(got, _r->size - index);
    view.second = slots;
    return got;
  }

  // Gives the first n entries of the last peek() back to the producers.
  void release(unsigned n) noexcept {
    _head += n;
    store_position(_head);
  }

  // The ring position of the next entry peek() returns.
  uint32_t head() const noexcept { return _head; }

 private:
#if defined(TLSBURST_TSAN)
  // (The producers' side goes through 8-byte CASes TSan does not pair with these; see above.)
  __attribute__((no_sanitize("thread")))
#endif
  uint32_t producer_tail() const noexcept {
    return __atomic_load_n(&_r->prod.tail, __ATOMIC_ACQUIRE);
  }
#if defined(TLSBURST_TSAN)
  __attribute__((no_sanitize("thread")))
#endif
  void store_position(uint32_t pos) noexcept {
    __atomic_store_n(&_r->cons.head, pos, __ATOMIC_RELAXED);
    __atomic_store_n(&_r->cons.tail, pos, __ATOMIC_RELEASE);  // our reads of the slots come first
  }

  rte_ring* _r;
  uint32_t _head;
  uint32_t _known_tail;  // the producers' tail as last read
};

// Completion rings (single producer, single consumer; C11 acquire/release, seen by TSan).
//
// The producer (the worker) writes entries into the ring slots itself, 32 bytes at a time (DPDK's
// generic element copy goes 4 bytes at a time), with done_tsc set on the way, and never reads the
// consumer's position: a client never has more requests in flight on a core than its completion
// ring holds (its credit, Client::submit), so the slots are always free. Not reading it keeps the
// line the consumer writes on every dequeue from crossing cores on every burst. The consumer's
// reads of a slot happen before the next write to it through the input ring: the client takes
// the credit back after reading, and only then submits the request whose completion reuses the
// slot. Debug builds check the room anyway.
//
// `head` is the producer's position, which the producer keeps itself (from producer_head() when it
// first produces into the ring) and which this advances: reading it back from the ring would wait
// for the line the consumer reads on every poll.
inline void completion_enqueue_credited(rte_ring* r, uint32_t& head, const CompletionEntry* items, unsigned n,
                                        uint64_t done_tsc) noexcept {
#ifndef NDEBUG
  const uint32_t consumed = __atomic_load_n(&r->cons.tail, __ATOMIC_ACQUIRE);
  if (head + n - consumed > r->capacity) rte_panic("completion ring overfilled: a client exceeded its credit\n");
#endif
  CompletionEntry* const slots = reinterpret_cast<CompletionEntry*>(r + 1);
  for (unsigned i = 0; i < n; ++i) {
    CompletionEntry& slot = slots[(head + i) & r->mask];
    slot = items[i];
    slot.done_tsc = done_tsc;
  }
  head += n;
  __atomic_store_n(&r->prod.head, head, __ATOMIC_RELAXED);
  __atomic_store_n(&r->prod.tail, head, __ATOMIC_RELEASE);
}
inline unsigned completion_dequeue(rte_ring* r, CompletionEntry* items, unsigned n) noexcept {
  return rte_ring_sc_dequeue_burst_elem(r, items, sizeof(CompletionEntry), n, nullptr);
}

// Where slot `index` (a ring position, not yet masked) of a ring lives, for prefetches; and the
// producer's next position, for a single producer starting to produce into a ring. They read the
// ring's fields (public in rte_ring_core.h) without synchronisation, which is fine for the
// constant size fields and the caller's own index.
inline const uint8_t* ring_slot(const rte_ring* r, size_t elem_len, uint32_t index) noexcept {
  return reinterpret_cast<const uint8_t*>(r + 1) + size_t{index & r->mask} * elem_len;
}
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
