#include "handshake/engine_key_installer.hpp"

#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "engine/core/request.hpp"
#include "engine/record/record_format.hpp"
#include "handshake/messages/handshake_type.hpp"

namespace tlsburst::handshake {

Result<uint64_t> EngineKeyInstaller::install(const record::DirectionKeys& tx, const record::DirectionKeys& rx) {
  engine::SessionKeys keys;
  keys.seal = tx;
  keys.open = rx;
  std::lock_guard<std::mutex> lock(_mutex);
  auto handle = _control_plane->create_session(keys);
  if (!handle) return handle.error();
  return handle->value();
}

Status EngineKeyInstaller::remove(uint64_t session) {
  std::lock_guard<std::mutex> lock(_mutex);
  return _control_plane->remove(engine::SessionHandle::from_value(session));
}

EngineRecordStream::EngineRecordStream(engine::Client& client, rte_mempool* pool, engine::SessionHandle session,
                                       Role role)
    : _client(&client), _pool(pool), _session(session), _role(role) {}

void EngineRecordStream::consume_output(size_t len) noexcept {
  _out_read += std::min(len, _out.size() - _out_read);
  if (_out_read == _out.size()) {
    _out.clear();
    _out_read = 0;
  }
}

namespace {

constexpr auto request_timeout = std::chrono::seconds(10);

rte_mbuf* mbuf_with(rte_mempool* pool, std::span<const uint8_t> bytes) {
  rte_mbuf* m = rte_pktmbuf_alloc(pool);
  if (m == nullptr) return nullptr;
  char* dst = rte_pktmbuf_append(m, static_cast<uint16_t>(bytes.size()));
  if (dst == nullptr) {
    rte_pktmbuf_free(m);
    return nullptr;
  }
  if (!bytes.empty()) std::memcpy(dst, bytes.data(), bytes.size());
  return m;
}

void append_mbuf(const rte_mbuf* m, std::vector<uint8_t>& out) {
  for (const rte_mbuf* seg = m; seg != nullptr; seg = seg->next) {
    const auto* p = rte_pktmbuf_mtod(seg, const uint8_t*);
    out.insert(out.end(), p, p + seg->data_len);
  }
}

}  // namespace

Status EngineRecordStream::run(std::vector<rte_mbuf*>& requests) {
  size_t submitted = 0, completed = 0;
  std::vector<rte_mbuf*> done(requests.size(), nullptr);
  const auto deadline = std::chrono::steady_clock::now() + request_timeout;
  rte_mbuf* out[64];
  while (completed < requests.size()) {
    if (submitted < requests.size()) {
      submitted += _client->submit(std::span<rte_mbuf* const>(requests).subspan(submitted));
    }
    const uint32_t n = _client->poll(out);
    for (uint32_t i = 0; i < n; ++i) done[engine::request_meta(out[i]).user_tag] = out[i];
    completed += n;
    if (n == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        // The completed requests are ours again; the others still belong to the engine.
        requests.swap(done);
        return make_error(Alert::internal_error, "engine: requests did not complete");
      }
      std::this_thread::yield();
    }
  }
  requests.swap(done);
  return Status::success();
}

Status EngineRecordStream::seal(record::ContentType type, std::span<const uint8_t> plaintext) {
  std::vector<rte_mbuf*> requests;
  size_t at = 0;
  do {
    const size_t n = std::min(record::max_plaintext_len, plaintext.size() - at);
    rte_mbuf* m = mbuf_with(_pool, plaintext.subspan(at, n));
    if (m == nullptr || !engine::set_request(m, _session, record::RecordOpKind::seal, type, requests.size())) {
      if (m != nullptr) rte_pktmbuf_free(m);
      for (rte_mbuf* r : requests) rte_pktmbuf_free(r);
      return make_error(Alert::internal_error, "engine: no mbuf for a record");
    }
    requests.push_back(m);
    at += n;
  } while (at < plaintext.size());
  Status st = run(requests);
  for (rte_mbuf* m : requests) {
    if (st && m != nullptr) {
      const engine::RequestMeta& meta = engine::request_meta(m);
      if (!meta.ok()) {
        st = make_error(Alert::internal_error, std::string("engine: seal failed: ") + std::string(engine::reject_name(meta.reject)) +
                                                   "/" + std::string(record::status_name(meta.status)));
      } else {
        append_mbuf(m, _out);
        ++_num_sealed;
      }
    }
    if (m != nullptr) rte_pktmbuf_free(m);
  }
  return st;
}

Status EngineRecordStream::send(std::span<const uint8_t> data) { return seal(record::ContentType::application_data, data); }

Status EngineRecordStream::send_alert(AlertLevel level, Alert alert) {
  const uint8_t body[2] = {static_cast<uint8_t>(level), static_cast<uint8_t>(alert)};
  return seal(record::ContentType::alert, body);
}

Status EngineRecordStream::receive(std::span<const uint8_t> wire) {
  _in.insert(_in.end(), wire.begin(), wire.end());
  // Every complete record becomes one open request of the burst.
  std::vector<rte_mbuf*> requests;
  size_t at = 0;
  while (at + record::header_len <= _in.size()) {
    const size_t len = record::header_len + record::load_be16(_in.data() + at + 3);
    if (len > record::header_len + record::tls12_max_ciphertext_len) {
      for (rte_mbuf* r : requests) rte_pktmbuf_free(r);
      return make_error(Alert::record_overflow, "record too long");
    }
    if (at + len > _in.size()) break;
    rte_mbuf* m = mbuf_with(_pool, {_in.data() + at, len});
    if (m == nullptr || !engine::set_request(m, _session, record::RecordOpKind::open,
                                             record::ContentType::application_data, requests.size())) {
      if (m != nullptr) rte_pktmbuf_free(m);
      for (rte_mbuf* r : requests) rte_pktmbuf_free(r);
      return make_error(Alert::internal_error, "engine: no mbuf for a record");
    }
    requests.push_back(m);
    at += len;
  }
  _in.erase(_in.begin(), _in.begin() + static_cast<std::ptrdiff_t>(at));
  if (requests.empty()) return Status::success();
  Status st = run(requests);
  bool refuse_renegotiation = false;
  for (rte_mbuf* m : requests) {
    if (st && m != nullptr && !_peer_closed) {
      const engine::RequestMeta& meta = engine::request_meta(m);
      if (!meta.ok()) {
        st = make_error(meta.reject == engine::RejectReason::none ? record::alert_for(meta.status) : Alert::internal_error,
                        std::string("engine: open failed: ") + std::string(record::status_name(meta.status)));
      } else {
        ++_num_opened;
        std::vector<uint8_t> plain;
        append_mbuf(m, plain);
        switch (meta.type) {
          case record::ContentType::application_data:
            _received.insert(_received.end(), plain.begin(), plain.end());
            break;
          case record::ContentType::alert:
            if (plain.size() == 2 && plain[1] == static_cast<uint8_t>(Alert::close_notify)) {
              _peer_closed = true;
            } else if (plain.size() != 2 || plain[0] == static_cast<uint8_t>(AlertLevel::fatal)) {
              st = make_error(plain.size() == 2 ? static_cast<Alert>(plain[1]) : Alert::decode_error, "peer alert");
            }
            break;
          case record::ContentType::handshake: {
            _handshake.insert(_handshake.end(), plain.begin(), plain.end());
            // Complete messages: a ClientHello (server) or HelloRequest (client) is refused.
            while (_handshake.size() >= handshake_header_len) {
              const size_t body_len = (size_t{_handshake[1]} << 16) | (size_t{_handshake[2]} << 8) | _handshake[3];
              if (_handshake.size() < handshake_header_len + body_len) break;
              const auto type = static_cast<HandshakeType>(_handshake[0]);
              const bool renegotiation = (_role == Role::server && type == HandshakeType::client_hello) ||
                                         (_role == Role::client && type == HandshakeType::hello_request);
              if (!renegotiation) {
                st = make_error(Alert::unexpected_message, "handshake message after the handshake");
                break;
              }
              refuse_renegotiation = true;
              ++_num_renegotiations_refused;
              _handshake.erase(_handshake.begin(), _handshake.begin() + static_cast<std::ptrdiff_t>(handshake_header_len + body_len));
            }
            break;
          }
          default:
            st = make_error(Alert::unexpected_message, "unexpected record type after the handshake");
            break;
        }
      }
    }
    if (m != nullptr) rte_pktmbuf_free(m);
  }
  if (st && refuse_renegotiation) st = send_alert(AlertLevel::warning, Alert::no_renegotiation);
  return st;
}

}  // namespace tlsburst::handshake
