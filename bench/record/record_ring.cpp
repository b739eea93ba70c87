#include "bench/record/record_ring.hpp"

#include <algorithm>
#include <cstring>
#include <cstdio>

#include "bench/record/tls_framing.hpp"

namespace tlsburst::bench {

namespace {

uint8_t* alloc_slots(size_t len) {
  void* p = std::aligned_alloc(64, len);
  if (p == nullptr) {  // set-up only, never on a timed path
    std::fprintf(stderr, "record_ring: cannot allocate %zu bytes\n", len);
    std::abort();
  }
  std::memset(p, 0, len);
  return static_cast<uint8_t*>(p);
}

}  // namespace

RecordRing::RecordRing(record::Suite suite, uint32_t plaintext_len, uint32_t burst)
    : _suite(suite), _plaintext_len(plaintext_len), _record_len(aead_record_len(suite, plaintext_len)) {
  const size_t slot_len = record::header_room(suite) + plaintext_len + record::tail_room(suite, 0);
  _slot_stride = static_cast<uint32_t>((slot_len + 63) / 64 * 64);
  const uint32_t min_slots = std::max<uint32_t>(burst, (target_ring_len + _slot_stride - 1) / _slot_stride);
  _num_slots = (min_slots + burst - 1) / burst * burst;
  const size_t len = size_t{_num_slots} * _slot_stride;
  _mem.reset(alloc_slots(len));
  _pristine.reset(alloc_slots(len));
}

void RecordRing::fill_plaintext() {
  const size_t room = record::header_room(_suite);
  for (uint32_t i = 0; i < _num_slots; ++i) {
    uint8_t* p = slot(i) + room;
    for (uint32_t j = 0; j < _plaintext_len; ++j) p[j] = plaintext_byte(i, j);
  }
}

bool RecordRing::plaintext_matches(uint32_t i, const uint8_t* plaintext, uint32_t len) const {
  if (len != _plaintext_len) return false;
  for (uint32_t j = 0; j < len; ++j) {
    if (plaintext[j] != plaintext_byte(i, j)) return false;
  }
  return true;
}

void RecordRing::snapshot() { std::memcpy(_pristine.get(), _mem.get(), size_t{_num_slots} * _slot_stride); }

void RecordRing::restore() { std::memcpy(_mem.get(), _pristine.get(), size_t{_num_slots} * _slot_stride); }

}  // namespace tlsburst::bench
