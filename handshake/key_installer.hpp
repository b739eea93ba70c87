// Where the handshake hands an established session's keys: the engine's control plane installs
// them into the owning core's session table (engine_key_installer.hpp); LocalKeyInstaller keeps
// them in-process. Called on the control plane only (virtual dispatch is fine there).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "engine/common/result.hpp"
#include "engine/record/direction_keys.hpp"
#include "engine/record/record_processor.hpp"
#include "handshake/local_session.hpp"
#include "handshake/role.hpp"
#include "handshake/tls12/session_info.hpp"

namespace tlsburst::handshake {

class KeyInstaller {
 public:
  virtual ~KeyInstaller() = default;
  // Installs both directions (tx: what this endpoint sends; initial_seq set) and returns the
  // session's handle.
  virtual Result<uint64_t> install(const record::DirectionKeys& tx, const record::DirectionKeys& rx) = 0;
};

// An in-process session table. install() may be called from any thread (the handshake worker)
// and only stores the keys; the thread that will carry the session's records claims it and gets
// a LocalSession whose keys are expanded on its own RecordProcessor (an ipsec-mb manager belongs
// to one thread).
class LocalKeyInstaller final : public KeyInstaller {
 public:
  explicit LocalKeyInstaller(Role role) : _role(role) {}

  Result<uint64_t> install(const record::DirectionKeys& tx, const record::DirectionKeys& rx) override;

  // Removes the session from the table and builds its LocalSession on `processor`.
  Result<std::unique_ptr<LocalSession>> claim(uint64_t handle, record::RecordProcessor& processor);
  size_t num_sessions() const;

 private:
  Role _role;
  mutable std::mutex _mutex;  // control plane
  uint64_t _next_handle = 1;
  std::unordered_map<uint64_t, EstablishedKeys> _sessions;
};

}  // namespace tlsburst::handshake
