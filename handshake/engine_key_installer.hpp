// The hand-off of established sessions to the engine: keys go to the owning core's session table
// through the engine's control-plane API, and the records of the connection are then carried by
// the engine's cores (EngineRecordStream).
#pragma once

#include <rte_mbuf.h>

#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/core/client.hpp"
#include "engine/core/control_plane.hpp"
#include "engine/core/session_handle.hpp"
#include "handshake/key_installer.hpp"
#include "handshake/record_channel.hpp"
#include "handshake/role.hpp"

namespace tlsburst::handshake {

// KeyInstaller on an engine ControlPlane: install() creates the session (the control plane expands
// the keys for the workers' ipsec-mb path and sends them through the core's input ring) and
// returns the engine's SessionHandle value. A ControlPlane serves one thread at a time; the mutex
// keeps that true if several handshake threads share this installer.
class EngineKeyInstaller final : public KeyInstaller {
 public:
  explicit EngineKeyInstaller(engine::ControlPlane& control_plane) : _control_plane(&control_plane) {}
  Result<uint64_t> install(const record::DirectionKeys& tx, const record::DirectionKeys& rx) override;
  Status remove(uint64_t session);

 private:
  std::mutex _mutex;
  engine::ControlPlane* _control_plane;
};

// The records of one established TLS connection, opened and sealed by the engine core that owns
// its session (through an engine::Client, which belongs to the calling thread). Frames the
// received byte stream into records and submits them as one burst per call; application data is
// collected in received(); close_notify ends the stream; renegotiation attempts are refused with a
// warning no_renegotiation alert, sealed by the engine too.
class EngineRecordStream {
 public:
  EngineRecordStream(engine::Client& client, rte_mempool* pool, engine::SessionHandle session, Role role);

  Status receive(std::span<const uint8_t> wire);
  Status send(std::span<const uint8_t> data);
  Status send_alert(AlertLevel level, Alert alert);

  std::span<const uint8_t> output() const noexcept { return {_out.data() + _out_read, _out.size() - _out_read}; }
  void consume_output(size_t len) noexcept;
  const std::vector<uint8_t>& received() const noexcept { return _received; }
  bool peer_closed() const noexcept { return _peer_closed; }
  size_t num_records_opened() const noexcept { return _num_opened; }
  size_t num_records_sealed() const noexcept { return _num_sealed; }
  size_t num_renegotiations_refused() const noexcept { return _num_renegotiations_refused; }

 private:
  // Submits `requests` and waits for all of them (in submission order); takes ownership.
  Status run(std::vector<rte_mbuf*>& requests);
  Status seal(record::ContentType type, std::span<const uint8_t> plaintext);

  engine::Client* _client;
  rte_mempool* _pool;
  engine::SessionHandle _session;
  Role _role;
  std::vector<uint8_t> _in;
  std::vector<uint8_t> _out;
  size_t _out_read = 0;
  std::vector<uint8_t> _received;
  std::vector<uint8_t> _handshake;  // post-handshake handshake bytes (renegotiation attempts)
  bool _peer_closed = false;
  size_t _num_opened = 0;
  size_t _num_sealed = 0;
  size_t _num_renegotiations_refused = 0;
};

}  // namespace tlsburst::handshake
