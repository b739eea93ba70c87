// Session management from any non-worker thread: create a session with keys for both directions,
// replace one direction's keys (rekey; TLS 1.3 KeyUpdate), remove it.
//
// Keys are expanded here, on this object's own ipsec-mb manager for the workers' path (GCM key
// data is path specific), then sent to the owning worker as a control message in its input ring.
// Nothing on the data path waits or locks: the worker applies the message between two bursts of
// records, in ring order, so a record submitted after a call returned uses the new state and one
// submitted before it uses the old. Removal wipes the slot's keys on the worker; expanded keys in
// messages are wiped by the worker once copied.
//
// A ControlPlane is used by one thread at a time; several may exist (each has its own messages and
// reply rings). The engine's slot allocators, shared by all, take a mutex: this is not the data path.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/core/control_message.hpp"
#include "engine/core/ring.hpp"
#include "engine/core/session_handle.hpp"
#include "engine/record/direction_keys.hpp"
#include "engine/record/imb_manager.hpp"

namespace tlsburst::engine {

class Engine;

struct SessionKeys {
  record::DirectionKeys seal;  // protects what we send
  record::DirectionKeys open;  // protects what we receive
};

enum class Direction : uint8_t { seal, open };

struct ControlPlaneConfig {
  uint32_t messages_per_core = 512;  // control messages in flight per core before calls wait
  uint32_t timeout_ms = 10000;       // longest a call waits for a message or ring room
};

class ControlPlane {
 public:
  static Result<std::unique_ptr<ControlPlane>> create(Engine& engine, const ControlPlaneConfig& config = {});
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;
  ~ControlPlane();  // waits (up to the timeout) for its messages to come back

  // Creates a session on `core` (default: the least loaded core).
  Result<SessionHandle> create_session(const SessionKeys& keys, std::optional<uint32_t> core = {});
  // Replaces the keys of one direction.
  Status rekey(SessionHandle session, Direction direction, const record::DirectionKeys& keys);
  // Removes the session; its handle is stale from now on.
  Status remove(SessionHandle session);
  // Returns once `core` has handled everything enqueued to it before this call.
  Status barrier(uint32_t core);

  // Messages sent to `core` that have not come back yet.
  uint32_t outstanding(uint32_t core) const noexcept;

 private:
  struct PerCore {
    std::unique_ptr<ControlMessage[]> storage;
    std::vector<ControlMessage*> free;
    Ring reply;
    uint64_t next_sequence = 1;
    uint32_t num_messages = 0;
  };
  ControlPlane(Engine& engine, const ControlPlaneConfig& config, record::ImbManager mgr,
               std::vector<PerCore> cores);

  void reclaim(uint32_t core) noexcept;
  Result<ControlMessage*> take_message(uint32_t core);
  void give_back(uint32_t core, ControlMessage* msg) noexcept;
  Status send(uint32_t core, ControlMessage* msg);
  Status check_core(SessionHandle session) const;

  Engine& _engine;
  ControlPlaneConfig _config;
  record::ImbManager _mgr;
  std::vector<PerCore> _cores;
};

}  // namespace tlsburst::engine
