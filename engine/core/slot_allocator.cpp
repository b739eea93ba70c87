#include "engine/core/slot_allocator.hpp"

namespace tlsburst::engine {

SlotAllocator::SlotAllocator(uint32_t core, uint32_t num_slots)
    : _core(core), _num_slots(num_slots), _generation(num_slots, 0), _live(num_slots, 0) {}

std::optional<SessionHandle> SlotAllocator::allocate() {
  std::lock_guard lock(_mutex);
  uint32_t slot;
  if (!_free.empty()) {
    slot = _free.back();
    _free.pop_back();
  } else if (_num_fresh_used < _num_slots) {
    slot = _num_fresh_used++;
  } else {
    return std::nullopt;
  }
  _generation[slot] = next_generation(_generation[slot]);
  _live[slot] = 1;
  ++_num_live;
  return SessionHandle::make(_core, slot, _generation[slot]);
}

bool SlotAllocator::is_live(SessionHandle handle) const {
  if (handle.core() != _core || handle.slot() >= _num_slots || !handle.valid()) return false;
  std::lock_guard lock(_mutex);
  return _live[handle.slot()] != 0 && _generation[handle.slot()] == handle.generation();
}

bool SlotAllocator::begin_remove(SessionHandle handle) {
  if (handle.core() != _core || handle.slot() >= _num_slots || !handle.valid()) return false;
  std::lock_guard lock(_mutex);
  const uint32_t slot = handle.slot();
  if (_live[slot] == 0 || _generation[slot] != handle.generation()) return false;
  _live[slot] = 0;
  --_num_live;
  return true;
}

void SlotAllocator::release(SessionHandle handle) {
  std::lock_guard lock(_mutex);
  const uint32_t slot = handle.slot();
  if (_live[slot] != 0 && _generation[slot] == handle.generation()) {
    _live[slot] = 0;  // an allocation that was never announced to the worker
    --_num_live;
  }
  _free.push_back(slot);
}

uint32_t SlotAllocator::num_live() const {
  std::lock_guard lock(_mutex);
  return _num_live;
}

}  // namespace tlsburst::engine
