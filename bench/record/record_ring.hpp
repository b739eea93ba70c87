// The buffers a benchmark case runs on: a ring of record slots, processed a burst at a time, plus
// a pristine copy to restore opened records from. Every contender of a case gets a ring of the
// same geometry (slot count, 64-byte aligned slots of the same stride) filled with the same
// bytes, so they touch the same amount of memory in the same pattern.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>

#include "engine/record/suite.hpp"

namespace tlsburst::bench {

class RecordRing {
 public:
  // About this many bytes of slots (at least one burst, a whole number of bursts): large enough
  // that a restore between passes is rare, small enough to stay in the L2 cache.
  static constexpr uint32_t target_ring_len = 1u << 20;

  RecordRing(record::Suite suite, uint32_t plaintext_len, uint32_t burst);

  record::Suite suite() const { return _suite; }
  uint32_t plaintext_len() const { return _plaintext_len; }
  uint32_t record_len() const { return _record_len; }      // one sealed record
  uint32_t slot_capacity() const { return _slot_stride; }  // writable bytes per slot
  uint32_t num_slots() const { return _num_slots; }
  uint8_t* slot(uint32_t i) { return _mem.get() + size_t{i} * _slot_stride; }
  const uint8_t* pristine_slot(uint32_t i) const { return _pristine.get() + size_t{i} * _slot_stride; }

  // The plaintext of slot i, byte j: a fixed pattern, so opened records can be checked.
  static uint8_t plaintext_byte(uint32_t i, uint32_t j) { return static_cast<uint8_t>(i * 31 + j * 7 + 1); }
  // Writes the pattern plaintext at slot + header_room(suite) of every slot.
  void fill_plaintext();
  bool plaintext_matches(uint32_t i, const uint8_t* plaintext, uint32_t len) const;

  void snapshot();  // pristine := slots
  void restore();   // slots := pristine

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  record::Suite _suite;
  uint32_t _plaintext_len;
  uint32_t _record_len;
  uint32_t _slot_stride;
  uint32_t _num_slots;
  std::unique_ptr<uint8_t[], Free> _mem;
  std::unique_ptr<uint8_t[], Free> _pristine;
};

}  // namespace tlsburst::bench
