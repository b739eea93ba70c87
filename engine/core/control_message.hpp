// A control-plane message to a worker: create, rekey or remove a session, or a barrier. It travels
// through the worker's input ring between the record requests, so the ring order is the order in
// which key changes and records take effect.
//
// The message carries the already-expanded keys inline. The worker copies them into its session
// table, wipes the message's copy and sends the message back on `reply` (a ring owned by the
// control plane that sent it), which is also how the sender learns it has been applied.
#pragma once

#include <cstdint>

#include "engine/core/session_handle.hpp"
#include "engine/record/direction_state.hpp"

struct rte_ring;

namespace tlsburst::engine {

enum class ControlKind : uint8_t { create, rekey_seal, rekey_open, remove, barrier };

struct alignas(64) ControlMessage {
  ControlKind kind = ControlKind::barrier;
  bool applied = false;        // out: the session existed (create: the slot was in range)
  SessionHandle session;
  rte_ring* reply = nullptr;   // where the worker returns the message
  uint64_t sequence = 0;       // sender's own numbering (barriers wait on it)
  uint64_t applied_tsc = 0;    // out: rte_rdtsc() when the worker applied it
  record::DirectionState seal;  // create, rekey_seal
  record::DirectionState open;  // create, rekey_open
};

}  // namespace tlsburst::engine
