#include "engine/core/session_table.hpp"

#include <hwloc.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace tlsburst::engine {

namespace {

// Binds [p, p + len) to NUMA node `node`. Best effort: a machine without NUMA support keeps the
// kernel's default policy.
void bind_to_node(void* p, size_t len, int node) {
  hwloc_topology_t topology;
  if (hwloc_topology_init(&topology) != 0) return;
  if (hwloc_topology_load(topology) == 0) {
    hwloc_obj_t obj = hwloc_get_numanode_obj_by_os_index(topology, static_cast<unsigned>(node));
    if (obj != nullptr) {
      hwloc_set_area_membind(topology, p, len, obj->nodeset, HWLOC_MEMBIND_BIND,
                             HWLOC_MEMBIND_BYNODESET);
    }
  }
  hwloc_topology_destroy(topology);
}

}  // namespace

Result<SessionTable> SessionTable::create(uint32_t num_slots, int numa_node) {
  if (num_slots == 0 || num_slots > max_slots_per_core) {
    return make_error(Alert::internal_error,
                      "session table: slots per core must be in [1, 2^24], got " +
                          std::to_string(num_slots));
  }
  const size_t len = size_t{num_slots} * sizeof(Slot);
  void* p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) {
    return make_error(Alert::internal_error, "session table: mmap of " + std::to_string(len) +
                                                 " bytes failed: " + std::strerror(errno));
  }
  if (numa_node >= 0) bind_to_node(p, len, numa_node);
  // Transparent huge pages where the kernel allows them: a large table then costs one fault and
  // one TLB entry per 2 MB rather than per 4 KB (best effort; ignored when THP is off).
  madvise(p, len, MADV_HUGEPAGE);
  // Anonymous pages read as zero: every slot starts with generation 0 (empty) and no constructed
  // DirectionStates, so nothing needs to be touched here.
  return SessionTable(static_cast<Slot*>(p), num_slots, len);
}

SessionTable::SessionTable(SessionTable&& other) noexcept
    : _slots(other._slots),
      _num_slots(other._num_slots),
      _num_live(other._num_live),
      _reserved_len(other._reserved_len) {
  other._slots = nullptr;
  other._num_slots = 0;
  other._num_live = 0;
  other._reserved_len = 0;
}

SessionTable& SessionTable::operator=(SessionTable&& other) noexcept {
  if (this != &other) {
    release();
    _slots = other._slots;
    _num_slots = other._num_slots;
    _num_live = other._num_live;
    _reserved_len = other._reserved_len;
    other._slots = nullptr;
    other._num_slots = 0;
    other._num_live = 0;
    other._reserved_len = 0;
  }
  return *this;
}

SessionTable::~SessionTable() { release(); }

void SessionTable::release() noexcept {
  if (_slots == nullptr) return;
  if (_num_live != 0) {
    for (uint32_t i = 0; i < _num_slots; ++i) {
      if (_slots[i].live()) clear_slot(_slots[i]);
    }
  }
  munmap(_slots, _reserved_len);
  _slots = nullptr;
}

void SessionTable::clear_slot(Slot& s) noexcept {
  record::wipe(s.seal());
  record::wipe(s.open());
  s.seal().~DirectionState();  // the destructor wipes the whole object once more
  s.open().~DirectionState();
  s.generation = 0;
  --_num_live;
}

bool SessionTable::install(SessionHandle handle, const record::DirectionState& seal,
                           const record::DirectionState& open) noexcept {
  const uint32_t slot = handle.slot();
  if (slot >= _num_slots || !handle.valid()) return false;
  Slot& s = _slots[slot];
  if (s.live()) clear_slot(s);
  new (s.seal_storage) record::DirectionState(seal);
  new (s.open_storage) record::DirectionState(open);
  s.refresh_layout();
  s.generation = handle.generation();
  ++_num_live;
  return true;
}

bool SessionTable::remove(SessionHandle handle) noexcept {
  Slot* s = find(handle);
  if (s == nullptr) return false;
  clear_slot(*s);
  return true;
}

}  // namespace tlsburst::engine
