#include "engine/core/ring.hpp"

#include <cstdlib>

namespace tlsburst::engine {

Result<Ring> Ring::create(const std::string& name, uint32_t capacity, RingProducers producers,
                          uint32_t elem_len) {
  if (elem_len == 0 || elem_len % 4 != 0) return make_error(Alert::internal_error, "ring " + name + ": bad element size");
  if (capacity == 0 || capacity > RTE_RING_SZ_MASK) {
    return make_error(Alert::internal_error, "ring " + name + ": bad capacity");
  }
  const unsigned flags = RING_F_EXACT_SZ | RING_F_SC_DEQ |
                         (producers == RingProducers::single ? RING_F_SP_ENQ : RING_F_MP_RTS_ENQ);
  const ssize_t len = rte_ring_get_memsize_elem(elem_len, rte_align32pow2(capacity + 1));
  if (len < 0) return make_error(Alert::internal_error, "ring " + name + ": bad size");
  const size_t alloc_len = (static_cast<size_t>(len) + RTE_CACHE_LINE_SIZE - 1) &
                           ~size_t{RTE_CACHE_LINE_SIZE - 1};
  void* p = std::aligned_alloc(RTE_CACHE_LINE_SIZE, alloc_len);
  if (p == nullptr) return make_error(Alert::internal_error, "ring " + name + ": out of memory");
  auto* ring = static_cast<rte_ring*>(p);
  // rte_ring_init copies at most RTE_RING_NAMESIZE - 1 characters of the name.
  if (rte_ring_init(ring, name.substr(0, RTE_RING_NAMESIZE - 1).c_str(), capacity, flags) != 0) {
    std::free(p);
    return make_error(Alert::internal_error, "ring " + name + ": rte_ring_init failed");
  }
  return Ring(ring);
}

Ring& Ring::operator=(Ring&& other) noexcept {
  if (this != &other) {
    std::free(_ring);
    _ring = other._ring;
    other._ring = nullptr;
  }
  return *this;
}

Ring::~Ring() { std::free(_ring); }

}  // namespace tlsburst::engine
