// The session table of one worker core: a fixed array of slots, each holding the generation of
// the session that lives there and the expanded keys of its two directions.
//
// Only the owning worker reads or writes a table once the worker runs; the control plane never
// touches it (it sends messages through the worker's input ring instead). The array is reserved
// with mmap (bound to the worker's NUMA node when one is given) rather than from DPDK memory, so a
// million sessions per core fit without hugepages; pages are only touched when a slot is first
// used (transparent huge pages are requested for it). A slot's DirectionStates are constructed when a session is created there and destroyed
// (which wipes them) when it is removed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

#include "engine/common/result.hpp"
#include "engine/core/session_handle.hpp"
#include "engine/record/direction_state.hpp"

namespace tlsburst::engine {

class SessionTable {
 public:
  struct alignas(64) Slot {
    uint32_t generation;  // 0: no session here
    // The record layout of each direction's suite (header_room, tail_room without TLS 1.3
    // padding), kept next to the generation so a worker checks a request's room without looking
    // at the keys' suite. refresh_layout() after replacing a direction's state.
    uint8_t seal_header_room;
    uint8_t open_header_room;
    uint16_t seal_tail_room;
    alignas(record::DirectionState) std::byte seal_storage[sizeof(record::DirectionState)];
    alignas(record::DirectionState) std::byte open_storage[sizeof(record::DirectionState)];

    bool live() const noexcept { return generation != 0; }
    record::DirectionState& seal() noexcept {
      return *std::launder(reinterpret_cast<record::DirectionState*>(seal_storage));
    }
    record::DirectionState& open() noexcept {
      return *std::launder(reinterpret_cast<record::DirectionState*>(open_storage));
    }
    void refresh_layout() noexcept {
      seal_header_room = static_cast<uint8_t>(record::header_room(seal().suite));
      seal_tail_room = static_cast<uint16_t>(record::tail_room(seal().suite));
      open_header_room = static_cast<uint8_t>(record::header_room(open().suite));
    }
  };

  // Memory one session costs in the table.
  static constexpr size_t bytes_per_session = sizeof(Slot);

  // Reserves `num_slots` slots; `numa_node` < 0 leaves placement to the kernel.
  static Result<SessionTable> create(uint32_t num_slots, int numa_node = -1);

  SessionTable(SessionTable&& other) noexcept;
  SessionTable& operator=(SessionTable&& other) noexcept;
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;
  ~SessionTable();  // wipes every live slot

  uint32_t num_slots() const noexcept { return _num_slots; }
  size_t reserved_len() const noexcept { return _reserved_len; }

  // The live slot `handle` names on this table, or nullptr when the slot is out of range, empty or
  // holds another generation.
  Slot* find(SessionHandle handle) noexcept { return find(handle.slot(), handle.generation()); }
  Slot* find(uint32_t slot, uint32_t generation) noexcept {
    if (slot >= _num_slots) return nullptr;
    Slot& s = _slots[slot];
    if (s.generation != generation || generation == 0) return nullptr;
    return &s;
  }

  // Installs a session in `handle`'s slot, replacing (and wiping) whatever lived there.
  // Returns false when the slot is out of range or the handle is null.
  bool install(SessionHandle handle, const record::DirectionState& seal,
               const record::DirectionState& open) noexcept;

  // Wipes and empties the slot when it still holds `handle`'s generation. Returns whether it did.
  bool remove(SessionHandle handle) noexcept;

  // Number of live slots (counted by install/remove).
  uint32_t num_live() const noexcept { return _num_live; }

  // The raw slot (tests check wiping through this). Never on the data path.
  const Slot& slot_at(uint32_t slot) const noexcept { return _slots[slot]; }

 private:
  SessionTable(Slot* slots, uint32_t num_slots, size_t reserved_len)
      : _slots(slots), _num_slots(num_slots), _reserved_len(reserved_len) {}
  void clear_slot(Slot& s) noexcept;
  void release() noexcept;

  Slot* _slots = nullptr;
  uint32_t _num_slots = 0;
  uint32_t _num_live = 0;
  size_t _reserved_len = 0;
};

}  // namespace tlsburst::engine
