// A sans-IO TLS 1.2 connection (client or server) up to the end of the handshake: wire bytes in
// (receive), wire bytes out (output/consume_output), events out (poll_event). It never touches a
// socket, a clock or a thread.
//
// The handshake follows the constexpr step tables of handshake_order.hpp; each step has one
// handler per role that returns a wait state (proceed, or flush at the end of a flight). Finished
// and anything after ChangeCipherSpec are protected by the engine's RecordProcessor (through the
// RecordChannel); once established, take_keys() yields both directions' DirectionKeys with their
// next sequence numbers for the data plane, and unread_input() the bytes that followed.
//
// Any failure queues a fatal alert (the Error's alert; encrypted when keys are active) in the
// output, moves to `failed` and is returned.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "engine/record/record_processor.hpp"
#include "handshake/crypto/ecdhe.hpp"
#include "handshake/crypto/key_schedule.hpp"
#include "handshake/crypto/openssl_ptr.hpp"
#include "handshake/crypto/transcript.hpp"
#include "handshake/extensions/server_hello_extensions.hpp"
#include "handshake/record_channel.hpp"
#include "handshake/role.hpp"
#include "handshake/tls12/config.hpp"
#include "handshake/tls12/handshake_order.hpp"
#include "handshake/tls12/session_info.hpp"

namespace tlsburst::handshake {

enum class ConnectionState : uint8_t { handshaking, established, failed, closed };

enum class EventKind : uint8_t {
  established,     // info() and take_keys() are ready
  alert_received,  // the peer's alert (fatal ends the handshake; close_notify closes)
  alert_sent,      // we failed the handshake with this alert
};

struct Event {
  EventKind kind = EventKind::established;
  AlertLevel level = AlertLevel::fatal;
  Alert alert = Alert::close_notify;
  std::string message;
};

// What a step handler waits for next.
enum class Wait : uint8_t {
  proceed,       // run the next step now
  flush,         // end of a flight: write the queued messages into records, then go on
  read_message,  // the next step reads a message the peer has not sent yet
  established,   // the handshake is complete
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> server(std::shared_ptr<const ServerConfig> config,
                                                    record::RecordProcessor& processor);
  // Queues the ClientHello at once. `server_name`: SNI and the name the certificate must match
  // (empty: no SNI and no host name check).
  static Result<std::unique_ptr<Connection>> client(std::shared_ptr<const ClientConfig> config,
                                                    record::RecordProcessor& processor, std::string server_name);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Feeds wire bytes and runs the handshake as far as they go.
  Status receive(std::span<const uint8_t> bytes);

  std::span<const uint8_t> output() const noexcept { return _channel.output(); }
  void consume_output(size_t len) noexcept { _channel.consume_output(len); }
  std::optional<Event> poll_event();

  ConnectionState state() const noexcept { return _state; }
  Role role() const noexcept { return _role; }
  const SessionInfo& info() const noexcept { return _info; }
  // The last error (state failed).
  const std::optional<Error>& error() const noexcept { return _error; }

  // Established only, once: the keys for the data plane. The channel's copies are wiped.
  Result<EstablishedKeys> take_keys();
  // Wire bytes received after the peer's Finished (the data plane's).
  std::span<const uint8_t> unread_input() const noexcept { return _channel.unread_input(); }

 private:
  friend struct ConnectionTestPeer;  // tests only: corrupts our Finished to check the peer's alert
  Connection(Role role, record::RecordProcessor& processor, const RecordChannelOptions& options);

  using Handler = Result<Wait> (Connection::*)(const HandshakeMessage* message);
  static Handler handler_for(Role role, Step step);

  Status drive();
  Status fail(Error error);
  Result<Wait> run_step(Step step);
  Status handle_alert(const AlertMessage& alert);
  Status queue_message(const std::vector<uint8_t>& encoded);
  // The buffer the next outgoing message is encoded into (emptied; its capacity is reused).
  std::vector<uint8_t>& message_buffer() {
    _message.clear();
    return _message;
  }
  Step current_step() const noexcept { return order_for(_shape).steps[_step_index]; }
  Status derive_master_secret(PreMasterSecret&& pms);

  // Shared steps (common_steps.cpp).
  Result<Wait> send_change_cipher_spec(const HandshakeMessage*);
  Result<Wait> read_change_cipher_spec(const HandshakeMessage*);
  Result<Wait> send_finished(const HandshakeMessage*);
  Result<Wait> read_finished(const HandshakeMessage*);
  Result<Wait> finish_handshake(const HandshakeMessage*);

  // Server steps (server_steps.cpp).
  Result<Wait> server_read_client_hello(const HandshakeMessage* m);
  Result<Wait> server_write_server_hello(const HandshakeMessage*);
  Result<Wait> server_write_certificate(const HandshakeMessage*);
  Result<Wait> server_write_key_exchange(const HandshakeMessage*);
  Result<Wait> server_write_certificate_request(const HandshakeMessage*);
  Result<Wait> server_write_server_hello_done(const HandshakeMessage*);
  Result<Wait> server_read_client_certificate(const HandshakeMessage* m);
  Result<Wait> server_read_client_key_exchange(const HandshakeMessage* m);
  Result<Wait> server_read_certificate_verify(const HandshakeMessage* m);

  // Client steps (client_steps.cpp).
  Result<Wait> client_write_client_hello(const HandshakeMessage*);
  Result<Wait> client_read_server_hello(const HandshakeMessage* m);
  Result<Wait> client_read_certificate(const HandshakeMessage* m);
  Result<Wait> client_read_server_key_exchange(const HandshakeMessage* m);
  Result<Wait> client_read_certificate_request(const HandshakeMessage* m);
  Result<Wait> client_read_server_hello_done(const HandshakeMessage* m);
  Result<Wait> client_write_certificate(const HandshakeMessage*);
  Result<Wait> client_write_key_exchange(const HandshakeMessage*);
  Result<Wait> client_write_certificate_verify(const HandshakeMessage*);

  Role _role;
  ConnectionState _state = ConnectionState::handshaking;
  std::shared_ptr<const ServerConfig> _server_config;
  std::shared_ptr<const ClientConfig> _client_config;
  RecordChannel _channel;
  Transcript _transcript;
  uint8_t _shape = 0;
  size_t _step_index = 0;
  size_t _num_warnings = 0;
  std::deque<Event> _events;
  std::optional<Error> _error;
  bool _keys_taken = false;
  bool _corrupt_finished_for_test = false;
  bool _ticket_received = false;  // client: NewSessionTicket seen
  std::vector<uint8_t> _message;  // encoding scratch, see message_buffer()

  // Negotiated and derived state.
  SessionInfo _info;
  const CipherSuiteInfo* _suite = nullptr;
  uint16_t _client_hello_version = 0;
  std::shared_ptr<const Credential> _credential;       // ours, presented
  std::optional<SignatureScheme> _client_cert_scheme;  // client: CertificateVerify scheme
  std::optional<EcdheKeyPair> _ecdhe;
  std::optional<PreMasterSecret> _premaster;  // client: from ServerKeyExchange until ClientKeyExchange
  EvpPkeyPtr _peer_key;                       // the peer's certificate key
  std::optional<MasterSecret> _master;
  std::optional<TrafficKeys> _traffic_keys;
  ServerHelloExtensions _server_reply;  // server: the ServerHello's extensions
  OfferedExtensions _offered;          // client
  std::vector<uint16_t> _offered_suites;  // client
  std::string _server_name;               // client: the name to verify
};

}  // namespace tlsburst::handshake
