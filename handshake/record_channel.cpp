#include "handshake/record_channel.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "engine/record/record_op.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::handshake {

namespace {

using record::ContentType;

bool known_content_type(uint8_t t) { return t >= 20 && t <= 23; }

// Drops the consumed prefix of a buffer once it dominates.
void compact(std::vector<uint8_t>& buf, size_t& read) {
  if (read == buf.size()) {
    buf.clear();
    read = 0;
  } else if (read > 4096 && read > buf.size() / 2) {
    buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(read));
    read = 0;
  }
}

}  // namespace

RecordChannel::RecordChannel(record::RecordProcessor& processor, const RecordChannelOptions& options)
    : _processor(&processor), _options(options) {
  _options.max_plaintext_fragment_len = std::clamp<size_t>(_options.max_plaintext_fragment_len, 1, record::max_plaintext_len);
  // A server's first flight (certificate chain included) fits without regrowing.
  _pending.reserve(4096);
  _out.reserve(4096);
}

void RecordChannel::append_input(std::span<const uint8_t> bytes) {
  compact(_in, _in_read);
  _in.insert(_in.end(), bytes.begin(), bytes.end());
}

std::span<const uint8_t> RecordChannel::unread_input() const noexcept {
  return {_in.data() + _in_read, _in.size() - _in_read};
}

Result<Inbound> RecordChannel::take_handshake_message() {
  const size_t avail = _hs.size() - _hs_read;
  if (avail < handshake_header_len) return Inbound{};
  const uint8_t* h = _hs.data() + _hs_read;
  const size_t body_len = (size_t{h[1]} << 16) | (size_t{h[2]} << 8) | h[3];
  if (body_len > _options.max_handshake_message_len) {
    return make_error(Alert::illegal_parameter, "handshake message too long");
  }
  if (avail < handshake_header_len + body_len) return Inbound{};
  Inbound in;
  in.kind = Inbound::Kind::handshake;
  in.message.type = static_cast<HandshakeType>(h[0]);
  in.message.encoded = {h, handshake_header_len + body_len};
  in.message.body = {h + handshake_header_len, body_len};
  _hs_read += handshake_header_len + body_len;
  return in;
}

Result<Inbound> RecordChannel::next() {
  // The previous message's views die here.
  compact(_hs, _hs_read);
  while (true) {
    auto message = take_handshake_message();
    if (!message || message->kind != Inbound::Kind::none) return message;

    // Parse one record.
    const size_t avail = _in.size() - _in_read;
    if (avail < record::header_len) return Inbound{};
    uint8_t* rec = _in.data() + _in_read;
    const uint8_t type = rec[0];
    const uint16_t version = record::load_be16(rec + 1);
    const size_t fragment_len = record::load_be16(rec + 3);
    if (!known_content_type(type)) return make_error(Alert::unexpected_message, "record: unknown content type");
    if ((version >> 8) != 3) return make_error(Alert::protocol_version, "record: not a TLS record version");
    if (_required_version && version != *_required_version) {
      return make_error(Alert::protocol_version, "record: wrong record version");
    }
    const size_t limit = _rx.installed ? record::tls12_max_ciphertext_len : record::max_plaintext_len;
    if (fragment_len > limit) return make_error(Alert::record_overflow, "record: too long");
    if (avail < record::header_len + fragment_len) return Inbound{};
    _in_read += record::header_len + fragment_len;

    std::span<const uint8_t> fragment(rec + record::header_len, fragment_len);
    ContentType content = static_cast<ContentType>(type);
    if (_rx.installed) {
      record::RecordOp op;
      op.state = &_rx;
      op.kind = record::RecordOpKind::open;
      op.data = rec;
      op.length = static_cast<uint32_t>(record::header_len + fragment_len);
      op.capacity = op.length;
      _processor->process({&op, 1});
      if (op.status != record::RecordStatus::ok) {
        return make_error(record::alert_for(op.status),
                          std::string("record: open failed: ") + std::string(record::status_name(op.status)));
      }
      fragment = {rec + record::header_room(_rx.suite), op.length};
      content = op.type;
    }

    switch (content) {
      case ContentType::handshake:
        if (fragment.empty()) return make_error(Alert::unexpected_message, "record: empty handshake fragment");
        _hs.insert(_hs.end(), fragment.begin(), fragment.end());
        continue;
      case ContentType::change_cipher_spec: {
        if (fragment.size() != 1) return make_error(Alert::decode_error, "ChangeCipherSpec: wrong length");
        if (fragment[0] != 1) return make_error(Alert::illegal_parameter, "ChangeCipherSpec: wrong value");
        // A key change must fall on a message boundary (no partial handshake message pending).
        if (has_buffered_handshake()) {
          return make_error(Alert::unexpected_message, "ChangeCipherSpec inside a handshake message");
        }
        Inbound in;
        in.kind = Inbound::Kind::change_cipher_spec;
        return in;
      }
      case ContentType::alert: {
        if (fragment.size() != 2) return make_error(Alert::decode_error, "alert: wrong length");
        if (fragment[0] != 1 && fragment[0] != 2) return make_error(Alert::illegal_parameter, "alert: bad level");
        Inbound in;
        in.kind = Inbound::Kind::alert;
        in.alert.level = static_cast<AlertLevel>(fragment[0]);
        in.alert.description = static_cast<Alert>(fragment[1]);
        return in;
      }
      case ContentType::application_data: {
        if (!_allow_app_data || !_rx.installed) {
          return make_error(Alert::unexpected_message, "application data during the handshake");
        }
        Inbound in;
        in.kind = Inbound::Kind::application_data;
        in.data = fragment;
        return in;
      }
      default:
        return make_error(Alert::unexpected_message, "record: unknown content type");
    }
  }
}

Status RecordChannel::activate_rx(const record::DirectionKeys& keys) { return _processor->install(_rx, keys); }

Status RecordChannel::activate_tx(const record::DirectionKeys& keys) { return _processor->install(_tx, keys); }

void RecordChannel::queue_handshake(std::span<const uint8_t> message) {
  _pending.insert(_pending.end(), message.begin(), message.end());
}

Status RecordChannel::write_record(ContentType type, std::span<const uint8_t> fragment) {
  if (!_tx.installed) {
    const size_t at = _out.size();
    _out.resize(at + record::header_len + fragment.size());
    record::write_header(_out.data() + at, type, record::legacy_record_version, static_cast<uint16_t>(fragment.size()));
    std::memcpy(_out.data() + at + record::header_len, fragment.data(), fragment.size());
    return Status::success();
  }
  const size_t head = record::header_room(_tx.suite);
  const size_t capacity = head + fragment.size() + record::tail_room(_tx.suite);
  _seal_buf.resize(capacity);
  std::memcpy(_seal_buf.data() + head, fragment.data(), fragment.size());
  record::RecordOp op;
  op.state = &_tx;
  op.kind = record::RecordOpKind::seal;
  op.type = type;
  op.data = _seal_buf.data();
  op.capacity = static_cast<uint32_t>(capacity);
  op.length = static_cast<uint32_t>(fragment.size());
  _processor->process({&op, 1});
  if (op.status != record::RecordStatus::ok) {
    return make_error(Alert::internal_error, std::string("record: seal failed: ") + std::string(record::status_name(op.status)));
  }
  _out.insert(_out.end(), _seal_buf.data(), _seal_buf.data() + op.length);
  return Status::success();
}

Status RecordChannel::flush() {
  size_t at = 0;
  while (at < _pending.size()) {
    const size_t n = std::min(_options.max_plaintext_fragment_len, _pending.size() - at);
    if (Status s = write_record(ContentType::handshake, {_pending.data() + at, n}); !s) return s;
    at += n;
  }
  _pending.clear();
  return Status::success();
}

Status RecordChannel::send_change_cipher_spec() {
  if (Status s = flush(); !s) return s;
  static constexpr uint8_t ccs[1] = {1};
  return write_record(ContentType::change_cipher_spec, ccs);
}

Status RecordChannel::send_alert(AlertLevel level, Alert alert) {
  _pending.clear();
  const uint8_t body[2] = {static_cast<uint8_t>(level), static_cast<uint8_t>(alert)};
  return write_record(ContentType::alert, body);
}

Status RecordChannel::send_application_data(std::span<const uint8_t> data) {
  if (!_tx.installed) return make_error(Alert::internal_error, "application data before the handshake finished");
  size_t at = 0;
  do {
    const size_t n = std::min(_options.max_plaintext_fragment_len, data.size() - at);
    if (Status s = write_record(ContentType::application_data, data.subspan(at, n)); !s) return s;
    at += n;
  } while (at < data.size());
  return Status::success();
}

void RecordChannel::consume_output(size_t len) noexcept {
  _out_read += std::min(len, _out.size() - _out_read);
  if (_out_read == _out.size()) {
    _out.clear();
    _out_read = 0;
  }
}

void RecordChannel::wipe_keys() noexcept {
  record::wipe(_rx);
  record::wipe(_tx);
}

}  // namespace tlsburst::handshake
