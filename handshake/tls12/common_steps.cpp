// Steps both roles run: ChangeCipherSpec, Finished and the end of the handshake.
#include "engine/common/secret.hpp"
#include "handshake/messages/finished.hpp"
#include "handshake/tls12/connection.hpp"

namespace tlsburst::handshake {

namespace {

const record::DirectionKeys& keys_written_by(const TrafficKeys& k, Role writer) {
  return writer == Role::client ? k.client_write : k.server_write;
}

}  // namespace

Result<Wait> Connection::send_change_cipher_spec(const HandshakeMessage*) {
  if (!_traffic_keys) return make_error(Alert::internal_error, "ChangeCipherSpec before the key exchange");
  if (Status s = _channel.send_change_cipher_spec(); !s) return s.error();
  if (Status s = _channel.activate_tx(keys_written_by(*_traffic_keys, _role)); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::read_change_cipher_spec(const HandshakeMessage*) {
  if (!_traffic_keys) return make_error(Alert::unexpected_message, "ChangeCipherSpec before the key exchange");
  if (Status s = _channel.activate_rx(keys_written_by(*_traffic_keys, peer_of(_role))); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::send_finished(const HandshakeMessage*) {
  auto hash = _transcript.current_hash();
  if (!hash) return hash.error();
  auto verify_data = _master->finished_verify_data(_role, hash->span());
  if (!verify_data) return verify_data.error();
  if (_corrupt_finished_for_test) (*verify_data)[0] ^= 1;
  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_finished(*verify_data, msg); !s) return s.error();
  if (Status s = queue_message(msg); !s) return s.error();
  return Wait::flush;
}

Result<Wait> Connection::read_finished(const HandshakeMessage* m) {
  auto received = decode_finished(m->body);
  if (!received) return received.error();
  // The transcript does not hold this message yet (hashed_after_handler).
  auto hash = _transcript.current_hash();
  if (!hash) return hash.error();
  auto expected = _master->finished_verify_data(peer_of(_role), hash->span());
  if (!expected) return expected.error();
  if (!constant_time_equal(received->data(), expected->data(), verify_data_len)) {
    return make_error(Alert::decrypt_error, "Finished: verify_data mismatch");
  }
  return Wait::proceed;
}

Result<Wait> Connection::finish_handshake(const HandshakeMessage*) {
  // Nothing of a further handshake message may hide behind Finished.
  if (_channel.has_buffered_handshake()) {
    return make_error(Alert::unexpected_message, "handshake data after Finished");
  }
  _transcript.release_messages();
  _state = ConnectionState::established;
  Event e;
  e.kind = EventKind::established;
  _events.push_back(std::move(e));
  return Wait::established;
}

}  // namespace tlsburst::handshake
