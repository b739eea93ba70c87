// The data plane of one established session inside this process: continues the connection's
// records with the keys the handshake handed over (EstablishedKeys, sequence numbers included),
// on a record::RecordProcessor. Used by clients, tests and the in-process KeyInstaller; the
// engine's cores do the same job for served sessions.
//
// After the handshake tlsburst refuses renegotiation: a ClientHello (to a server) or HelloRequest
// (to a client) is answered with a warning no_renegotiation alert (RFC 5746 4.2, 5246 7.2.2).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/record/record_processor.hpp"
#include "handshake/record_channel.hpp"
#include "handshake/role.hpp"
#include "handshake/tls12/session_info.hpp"

namespace tlsburst::handshake {

class LocalSession {
 public:
  static Result<std::unique_ptr<LocalSession>> create(record::RecordProcessor& processor, const EstablishedKeys& keys,
                                                      Role role);

  // Seals application data into records (appended to output()).
  Status send(std::span<const uint8_t> data);
  Status send_close_notify();
  // Opens the records in `wire`; application data is appended to received().
  Status receive(std::span<const uint8_t> wire);

  std::span<const uint8_t> output() const noexcept { return _channel.output(); }
  void consume_output(size_t len) noexcept { _channel.consume_output(len); }
  const std::vector<uint8_t>& received() const noexcept { return _received; }
  void clear_received() noexcept { _received.clear(); }

  bool peer_closed() const noexcept { return _peer_closed; }
  // The fatal alert the peer ended the session with.
  std::optional<Alert> peer_alert() const noexcept { return _peer_alert; }
  size_t num_renegotiations_refused() const noexcept { return _num_renegotiations_refused; }
  uint64_t tx_next_seq() const noexcept { return _channel.tx_next_seq(); }
  uint64_t rx_next_seq() const noexcept { return _channel.rx_next_seq(); }

 private:
  LocalSession(record::RecordProcessor& processor, Role role) : _role(role), _channel(processor) {}
  Role _role;
  RecordChannel _channel;
  std::vector<uint8_t> _received;
  bool _peer_closed = false;
  bool _failed = false;
  std::optional<Alert> _peer_alert;
  size_t _num_renegotiations_refused = 0;
};

}  // namespace tlsburst::handshake
