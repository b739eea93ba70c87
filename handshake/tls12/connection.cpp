#include "handshake/tls12/connection.hpp"

#include <string>

#include "handshake/extensions/server_name.hpp"
#include "handshake/messages/new_session_ticket.hpp"

namespace tlsburst::handshake {

namespace {

// A peer may send a few warning alerts (user_canceled, ...) during the handshake; more is abuse.
constexpr size_t max_warning_alerts = 4;

}  // namespace

Connection::Connection(Role role, record::RecordProcessor& processor, const RecordChannelOptions& options)
    : _role(role), _channel(processor, options) {}

Connection::~Connection() { _channel.wipe_keys(); }

Result<std::unique_ptr<Connection>> Connection::server(std::shared_ptr<const ServerConfig> config,
                                                       record::RecordProcessor& processor) {
  if (!config) return make_error(Alert::internal_error, "server: no config");
  if (Status s = config->validate(); !s) return s.error();
  std::unique_ptr<Connection> c(new Connection(Role::server, processor, config->record_options));
  c->_server_config = std::move(config);
  return c;
}

Result<std::unique_ptr<Connection>> Connection::client(std::shared_ptr<const ClientConfig> config,
                                                       record::RecordProcessor& processor, std::string server_name) {
  if (!config) return make_error(Alert::internal_error, "client: no config");
  if (Status s = config->validate(); !s) return s.error();
  std::unique_ptr<Connection> c(new Connection(Role::client, processor, config->record_options));
  c->_client_config = std::move(config);
  c->_server_name = std::move(server_name);
  c->_info.server_name = is_ip_literal(c->_server_name) ? std::string() : c->_server_name;
  if (Status s = c->drive(); !s) return s.error();  // writes the ClientHello
  return c;
}

Connection::Handler Connection::handler_for(Role role, Step step) {
  // One row per step: {server's handler, client's handler}.
  struct Row {
    Handler server;
    Handler client;
  };
  static constexpr Row rows[num_steps] = {
      {&Connection::server_read_client_hello, &Connection::client_write_client_hello},
      {&Connection::server_write_server_hello, &Connection::client_read_server_hello},
      {&Connection::server_write_certificate, &Connection::client_read_certificate},
      {&Connection::server_write_key_exchange, &Connection::client_read_server_key_exchange},
      {&Connection::server_write_certificate_request, &Connection::client_read_certificate_request},
      {&Connection::server_write_server_hello_done, &Connection::client_read_server_hello_done},
      {&Connection::server_read_client_certificate, &Connection::client_write_certificate},
      {&Connection::server_read_client_key_exchange, &Connection::client_write_key_exchange},
      {&Connection::server_read_certificate_verify, &Connection::client_write_certificate_verify},
      {&Connection::read_change_cipher_spec, &Connection::send_change_cipher_spec},
      {&Connection::read_finished, &Connection::send_finished},
      {&Connection::send_change_cipher_spec, &Connection::read_change_cipher_spec},
      {&Connection::send_finished, &Connection::read_finished},
      {&Connection::finish_handshake, &Connection::finish_handshake},
  };
  const Row& row = rows[static_cast<size_t>(step)];
  return role == Role::server ? row.server : row.client;
}

Status Connection::receive(std::span<const uint8_t> bytes) {
  if (_state != ConnectionState::handshaking) {
    return make_error(Alert::internal_error, "receive: the handshake is over");
  }
  _channel.append_input(bytes);
  return drive();
}

Result<Wait> Connection::run_step(Step step) { return (this->*handler_for(_role, step))(nullptr); }

Status Connection::drive() {
  while (_state == ConnectionState::handshaking) {
    const Step step = current_step();
    if (step == Step::established || writer_of(step) == _role) {
      auto wait = run_step(step);
      if (!wait) return fail(wait.error());
      if (*wait == Wait::established) return Status::success();
      ++_step_index;
      if (*wait == Wait::flush) {
        if (Status s = _channel.flush(); !s) return fail(s.error());
      }
      continue;
    }

    auto in = _channel.next();
    if (!in) return fail(in.error());
    switch (in->kind) {
      case Inbound::Kind::none:
        return Status::success();  // Wait::read_message: the caller brings more bytes
      case Inbound::Kind::alert:
        if (Status s = handle_alert(in->alert); !s) return s;
        continue;
      case Inbound::Kind::application_data:
        return fail(make_error(Alert::unexpected_message, "application data during the handshake"));
      case Inbound::Kind::change_cipher_spec: {
        if (!is_change_cipher_spec(step)) {
          return fail(make_error(Alert::unexpected_message, "unexpected ChangeCipherSpec"));
        }
        auto wait = run_step(step);
        if (!wait) return fail(wait.error());
        ++_step_index;
        continue;
      }
      case Inbound::Kind::handshake:
        break;
    }

    const HandshakeMessage& m = in->message;
    if (_role == Role::client && m.type == HandshakeType::hello_request) {
      // RFC 5246 7.4.1.1: ignored while negotiating; never hashed.
      if (!m.body.empty()) return fail(make_error(Alert::decode_error, "HelloRequest: not empty"));
      continue;
    }
    if (_role == Role::client && step == Step::server_change_cipher_spec && m.type == HandshakeType::new_session_ticket &&
        _info.session_ticket_acknowledged && !_ticket_received) {
      // RFC 5077 3.3: the ticket the server promised, before its ChangeCipherSpec. Hashed like any
      // handshake message; kept for nothing yet (resumption is not implemented).
      auto ticket = decode_new_session_ticket(m.body);
      if (!ticket) return fail(ticket.error());
      if (Status s = _transcript.add(m.encoded); !s) return fail(s.error());
      _ticket_received = true;
      continue;
    }
    Step expected = step;
    if (_role == Role::client && step == Step::server_hello_done && m.type == HandshakeType::certificate_request &&
        !(_shape & shape::client_auth)) {
      _shape |= shape::client_auth;  // the shape switch is safe here (handshake_order.hpp)
      expected = current_step();
    }
    if (is_change_cipher_spec(expected) || m.type != message_of(expected)) {
      return fail(make_error(Alert::unexpected_message, std::string("unexpected ") +
                                                            std::string(handshake_type_name(m.type)) + ", expected " +
                                                            std::string(handshake_type_name(message_of(expected)))));
    }
    if (!hashed_after_handler(expected)) {
      if (Status s = _transcript.add(m.encoded); !s) return fail(s.error());
    }
    auto wait = (this->*handler_for(_role, expected))(&m);
    if (!wait) return fail(wait.error());
    if (hashed_after_handler(expected)) {
      if (Status s = _transcript.add(m.encoded); !s) return fail(s.error());
    }
    ++_step_index;
  }
  return Status::success();
}

Status Connection::handle_alert(const AlertMessage& alert) {
  Event e;
  e.kind = EventKind::alert_received;
  e.level = alert.level;
  e.alert = alert.description;
  e.message = std::string("peer sent ") + std::string(alert_name(alert.description));
  _events.push_back(e);
  if (alert.level == AlertLevel::fatal || alert.description == Alert::close_notify) {
    _state = alert.level == AlertLevel::fatal ? ConnectionState::failed : ConnectionState::closed;
    _error = make_error(alert.description, e.message);
    _channel.wipe_keys();
    return *_error;
  }
  if (++_num_warnings > max_warning_alerts) {
    return fail(make_error(Alert::unexpected_message, "too many warning alerts"));
  }
  return Status::success();
}

Status Connection::fail(Error error) {
  if (_state == ConnectionState::handshaking) {
    // Best effort: the alert goes out in plaintext or sealed, as the tx direction stands.
    (void)_channel.send_alert(AlertLevel::fatal, error.alert);
    _state = ConnectionState::failed;
    Event e;
    e.kind = EventKind::alert_sent;
    e.alert = error.alert;
    e.message = error.message;
    _events.push_back(std::move(e));
  }
  _channel.wipe_keys();
  _traffic_keys.reset();
  _error = error;
  return error;
}

std::optional<Event> Connection::poll_event() {
  if (_events.empty()) return std::nullopt;
  Event e = std::move(_events.front());
  _events.pop_front();
  return e;
}

Status Connection::queue_message(const std::vector<uint8_t>& encoded) {
  _channel.queue_handshake(encoded);
  return _transcript.add(encoded);
}

Status Connection::derive_master_secret(PreMasterSecret&& pms) {
  const HashAlgorithm hash = _suite->prf_hash;
  Result<MasterSecret> ms = [&]() -> Result<MasterSecret> {
    if (_info.extended_master_secret) {
      // RFC 7627 4: the session hash covers the messages up to and including ClientKeyExchange.
      auto session_hash = _transcript.current_hash();
      if (!session_hash) return session_hash.error();
      return MasterSecret::derive_extended(hash, std::move(pms), session_hash->span());
    }
    return MasterSecret::derive(hash, std::move(pms), _info.client_random, _info.server_random);
  }();
  if (!ms) return ms.error();
  auto keys = ms->expand_traffic_keys(_suite->record_suite, _info.encrypt_then_mac, _info.client_random,
                                      _info.server_random);
  if (!keys) return keys.error();
  const auto& key_log = _role == Role::server ? _server_config->key_log : _client_config->key_log;
  if (key_log) key_log->log_master_secret(_info.client_random, *ms);
  _master.emplace(std::move(ms).value());
  _traffic_keys.emplace(std::move(keys).value());
  return Status::success();
}

Result<EstablishedKeys> Connection::take_keys() {
  if (_state != ConnectionState::established || _keys_taken || !_traffic_keys) {
    return make_error(Alert::internal_error, "take_keys: not established, or keys already taken");
  }
  EstablishedKeys k;
  const bool server = _role == Role::server;
  k.tx = server ? _traffic_keys->server_write : _traffic_keys->client_write;
  k.rx = server ? _traffic_keys->client_write : _traffic_keys->server_write;
  k.tx.initial_seq = _channel.tx_next_seq();
  k.rx.initial_seq = _channel.rx_next_seq();
  _keys_taken = true;
  _traffic_keys.reset();
  _master.reset();
  _channel.wipe_keys();
  return k;
}

}  // namespace tlsburst::handshake
