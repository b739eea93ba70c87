// The name of one session inside the engine: which worker core owns it, which slot of that core's
// session table holds it, and the generation of that slot when the session was created.
//
//   bits 63..56  core        (worker index, not the lcore id)
//   bits 55..32  slot        (index into the core's session table)
//   bits 31..0   generation  (never 0; bumped each time the slot is reused)
//
// A handle is a plain value: copying it is free, and a handle whose session was removed is
// "stale": the owning core compares the generation with the slot's and rejects the request, so a
// stale handle never reaches the keys of the session that reused the slot.
#pragma once

#include <cstdint>

namespace tlsburst::engine {

inline constexpr uint32_t max_cores = 1u << 8;
inline constexpr uint32_t max_slots_per_core = 1u << 24;

class SessionHandle {
 public:
  constexpr SessionHandle() = default;
  static constexpr SessionHandle from_value(uint64_t value) { return SessionHandle(value); }
  static constexpr SessionHandle make(uint32_t core, uint32_t slot, uint32_t generation) {
    return SessionHandle((uint64_t{core & 0xffu} << 56) | (uint64_t{slot & 0xffffffu} << 32) |
                         generation);
  }

  constexpr uint64_t value() const noexcept { return _value; }
  constexpr uint32_t core() const noexcept { return static_cast<uint32_t>(_value >> 56); }
  constexpr uint32_t slot() const noexcept { return static_cast<uint32_t>(_value >> 32) & 0xffffffu; }
  constexpr uint32_t generation() const noexcept { return static_cast<uint32_t>(_value); }
  // False for the default (null) handle; says nothing about whether the session still exists.
  constexpr bool valid() const noexcept { return generation() != 0; }

  friend constexpr bool operator==(SessionHandle a, SessionHandle b) { return a._value == b._value; }

 private:
  constexpr explicit SessionHandle(uint64_t value) : _value(value) {}
  uint64_t _value = 0;
};

// The generation that follows `g`, skipping the reserved value 0.
constexpr uint32_t next_generation(uint32_t g) noexcept { return g == 0xffffffffu ? 1 : g + 1; }

}  // namespace tlsburst::engine
