#include "tests/handshake/socket_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "handshake/local_session.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {

struct ConnectionTestPeer {
  static void corrupt_finished(Connection& c) { c._corrupt_finished_for_test = true; }
};

namespace test {

Listener::Listener() {
  _fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(_fd, 64) != 0) {
    ::close(_fd);
    _fd = -1;
    return;
  }
  socklen_t len = sizeof a;
  ::getsockname(_fd, reinterpret_cast<sockaddr*>(&a), &len);
  _port = ntohs(a.sin_port);
}

Listener::~Listener() {
  if (_fd >= 0) ::close(_fd);
}

int Listener::accept_one(std::chrono::milliseconds timeout) {
  pollfd p{_fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return -1;
  return ::accept4(_fd, nullptr, nullptr, SOCK_CLOEXEC);
}

int connect_loopback(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

namespace {

using Clock = std::chrono::steady_clock;

bool write_all(int fd, std::span<const uint8_t> bytes) {
  size_t at = 0;
  while (at < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    at += static_cast<size_t>(n);
  }
  return true;
}

// Reads what arrives within the deadline: >0 bytes, 0 on EOF, -1 on timeout or error.
ssize_t read_some(int fd, uint8_t* buf, size_t len, Clock::time_point deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return -1;
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    const ssize_t n = ::recv(fd, buf, len, 0);
    if (n < 0 && errno == EINTR) continue;
    return n < 0 ? -1 : n;
  }
}

}  // namespace

PeerRun run_over_socket(int fd, Connection& c, const PeerScript& script) {
  PeerRun run;
  const auto deadline = Clock::now() + script.timeout;
  if (script.corrupt_finished) ConnectionTestPeer::corrupt_finished(c);
  uint8_t buf[16384];
  auto collect_events = [&] {
    while (auto e = c.poll_event()) {
      if (e->kind == EventKind::alert_sent) run.alert_sent = e->alert;
      if (e->kind == EventKind::alert_received) run.alert_received = e->alert;
    }
  };
  // Handshake.
  while (true) {
    if (!write_all(fd, c.output())) {
      run.error = "write failed";
      break;
    }
    c.consume_output(c.output().size());
    if (c.state() != ConnectionState::handshaking) break;
    const ssize_t n = read_some(fd, buf, sizeof buf, deadline);
    if (n <= 0) {
      run.error = n == 0 ? "peer closed during the handshake" : "timeout during the handshake";
      break;
    }
    (void)c.receive({buf, static_cast<size_t>(n)});
  }
  collect_events();
  run.info = c.info();
  if (c.error()) run.error = c.error()->message;
  if (c.state() != ConnectionState::established) {
    ::close(fd);
    return run;
  }
  run.established = true;

  // Application data through the handed-over keys.
  auto keys = c.take_keys();
  auto session = LocalSession::create(processor(), *keys, c.role());
  if (!session) {
    run.error = session.error().message;
    ::close(fd);
    return run;
  }
  LocalSession& s = **session;
  Status st = s.receive(c.unread_input());
  auto flush = [&] {
    const bool ok = write_all(fd, s.output());
    s.consume_output(s.output().size());
    return ok;
  };
  if (!script.send_first.empty()) {
    (void)s.send({reinterpret_cast<const uint8_t*>(script.send_first.data()), script.send_first.size()});
  }
  flush();
  auto have = [&] {
    return std::string(s.received().begin(), s.received().end()).find(script.until) != std::string::npos;
  };
  while (st.ok() && !s.peer_closed() && !(script.until.empty() ? false : have())) {
    const ssize_t n = read_some(fd, buf, sizeof buf, deadline);
    if (n <= 0) break;
    st = s.receive({buf, static_cast<size_t>(n)});
    flush();  // answers to renegotiation attempts
  }
  if (!st.ok()) run.error = st.error().message;
  if (s.peer_alert()) run.alert_received = s.peer_alert();
  if (st.ok() && !script.reply.empty()) {
    (void)s.send({reinterpret_cast<const uint8_t*>(script.reply.data()), script.reply.size()});
  }
  if (script.close) (void)s.send_close_notify();
  flush();
  if (script.close) {
    ::shutdown(fd, SHUT_WR);
    // Drain until the peer closes too, so that it reads everything.
    while (!s.peer_closed()) {
      const ssize_t n = read_some(fd, buf, sizeof buf, std::min(deadline, Clock::now() + std::chrono::seconds(2)));
      if (n <= 0) break;
      if (!s.receive({buf, static_cast<size_t>(n)}).ok()) break;
    }
  }
  run.received.assign(s.received().begin(), s.received().end());
  run.num_renegotiations_refused = s.num_renegotiations_refused();
  ::close(fd);
  return run;
}

PeerRun serve_one(Listener& listener, std::shared_ptr<const ServerConfig> config, const PeerScript& script) {
  const int fd = listener.accept_one(script.timeout);
  if (fd < 0) {
    PeerRun r;
    r.error = "no connection accepted";
    return r;
  }
  auto c = Connection::server(std::move(config), processor());
  if (!c) {
    ::close(fd);
    PeerRun r;
    r.error = c.error().message;
    return r;
  }
  return run_over_socket(fd, **c, script);
}

PeerRun connect_and_run(uint16_t port, std::shared_ptr<const ClientConfig> config, const std::string& server_name,
                        const PeerScript& script) {
  PeerRun r;
  int fd = -1;
  for (int attempt = 0; attempt < 50 && fd < 0; ++attempt) {
    fd = connect_loopback(port);
    if (fd < 0) ::usleep(100 * 1000);
  }
  if (fd < 0) {
    r.error = "cannot connect";
    return r;
  }
  auto c = Connection::client(std::move(config), processor(), server_name);
  if (!c) {
    ::close(fd);
    r.error = c.error().message;
    return r;
  }
  if (script.corrupt_finished) ConnectionTestPeer::corrupt_finished(**c);
  return run_over_socket(fd, **c, script);
}

}  // namespace test
}  // namespace tlsburst::handshake
