#include "handshake/key_installer.hpp"

namespace tlsburst::handshake {

Result<uint64_t> LocalKeyInstaller::install(const record::DirectionKeys& tx, const record::DirectionKeys& rx) {
  std::lock_guard<std::mutex> lock(_mutex);
  const uint64_t handle = _next_handle++;
  EstablishedKeys& keys = _sessions[handle];
  keys.tx = tx;
  keys.rx = rx;
  return handle;
}

Result<std::unique_ptr<LocalSession>> LocalKeyInstaller::claim(uint64_t handle, record::RecordProcessor& processor) {
  EstablishedKeys keys;
  {
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _sessions.find(handle);
    if (it == _sessions.end()) return make_error(Alert::internal_error, "no such session");
    keys = it->second;
    _sessions.erase(it);
  }
  return LocalSession::create(processor, keys, _role);
}

size_t LocalKeyInstaller::num_sessions() const {
  std::lock_guard<std::mutex> lock(_mutex);
  return _sessions.size();
}

}  // namespace tlsburst::handshake
