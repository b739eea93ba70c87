#include "handshake/local_session.hpp"

namespace tlsburst::handshake {

Result<std::unique_ptr<LocalSession>> LocalSession::create(record::RecordProcessor& processor,
                                                           const EstablishedKeys& keys, Role role) {
  std::unique_ptr<LocalSession> s(new LocalSession(processor, role));
  if (Status st = s->_channel.activate_tx(keys.tx); !st) return st.error();
  if (Status st = s->_channel.activate_rx(keys.rx); !st) return st.error();
  s->_channel.require_record_version(0x0303);
  s->_channel.allow_application_data(true);
  return s;
}

Status LocalSession::send(std::span<const uint8_t> data) {
  if (_failed) return make_error(Alert::internal_error, "session failed");
  return _channel.send_application_data(data);
}

Status LocalSession::send_close_notify() { return _channel.send_alert(AlertLevel::warning, Alert::close_notify); }

Status LocalSession::receive(std::span<const uint8_t> wire) {
  if (_failed) return make_error(Alert::internal_error, "session failed");
  _channel.append_input(wire);
  while (!_peer_closed) {
    auto in = _channel.next();
    if (!in) {
      _failed = true;
      (void)_channel.send_alert(AlertLevel::fatal, in.error().alert);
      return in.error();
    }
    switch (in->kind) {
      case Inbound::Kind::none:
        return Status::success();
      case Inbound::Kind::application_data:
        _received.insert(_received.end(), in->data.begin(), in->data.end());
        break;
      case Inbound::Kind::alert:
        if (in->alert.description == Alert::close_notify) {
          _peer_closed = true;
          break;
        }
        if (in->alert.level == AlertLevel::fatal) {
          _failed = true;
          _peer_alert = in->alert.description;
          return make_error(in->alert.description, "peer sent a fatal alert");
        }
        break;  // warnings: ignored
      case Inbound::Kind::handshake: {
        const HandshakeType t = in->message.type;
        const bool renegotiation = (_role == Role::server && t == HandshakeType::client_hello) ||
                                   (_role == Role::client && t == HandshakeType::hello_request);
        if (!renegotiation) {
          _failed = true;
          (void)_channel.send_alert(AlertLevel::fatal, Alert::unexpected_message);
          return make_error(Alert::unexpected_message, "handshake message after the handshake");
        }
        ++_num_renegotiations_refused;
        if (Status s = _channel.send_alert(AlertLevel::warning, Alert::no_renegotiation); !s) return s;
        break;
      }
      case Inbound::Kind::change_cipher_spec:
        _failed = true;
        (void)_channel.send_alert(AlertLevel::fatal, Alert::unexpected_message);
        return make_error(Alert::unexpected_message, "ChangeCipherSpec after the handshake");
    }
  }
  return Status::success();
}

}  // namespace tlsburst::handshake
