// The control plane's view of one core's session table: which slots are free, which generation each
// slot is at, and which handles are live. Shared by every control-plane thread and protected by a
// mutex; the workers never use it (they only compare generations in their own table).
//
// A slot goes back on the free list only after its removal message has been enqueued, so the
// message that creates the next session in that slot is always behind the removal in the ring.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/core/session_handle.hpp"

namespace tlsburst::engine {

class SlotAllocator {
 public:
  SlotAllocator(uint32_t core, uint32_t num_slots);

  // Takes a free slot and gives it the next generation; nullopt when the core is full.
  std::optional<SessionHandle> allocate();

  // True when `handle` names a live session of this core.
  bool is_live(SessionHandle handle) const;

  // Marks `handle` removed (so rekeys and removals of it fail from now on) without freeing the
  // slot yet. Returns false when it is not live.
  bool begin_remove(SessionHandle handle);

  // Puts the slot of a handle passed to begin_remove() (or of an allocation whose creation message
  // could not be sent) back on the free list.
  void release(SessionHandle handle);

  uint32_t core() const noexcept { return _core; }
  uint32_t num_slots() const noexcept { return _num_slots; }
  uint32_t num_live() const;

 private:
  const uint32_t _core;
  const uint32_t _num_slots;
  mutable std::mutex _mutex;
  std::vector<uint32_t> _generation;  // current (or last) generation of each slot
  std::vector<uint8_t> _live;
  std::vector<uint32_t> _free;        // slots freed after use, reused first
  uint32_t _num_fresh_used = 0;       // slots [0, _num_fresh_used) have been handed out at least once
  uint32_t _num_live = 0;
};

}  // namespace tlsburst::engine
