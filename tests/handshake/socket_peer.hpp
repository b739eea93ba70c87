// tlsburst endpoints over real loopback TCP sockets for the interop tests: a sans-IO Connection
// driven over a socket with bounded waits, then the session's application data through a
// LocalSession made from the handed-over keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "handshake/tls12/config.hpp"
#include "handshake/tls12/connection.hpp"

namespace tlsburst::handshake::test {

class Listener {
 public:
  Listener();  // 127.0.0.1, ephemeral port
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  int fd() const { return _fd; }
  uint16_t port() const { return _port; }
  // Accepted socket, or -1 after `timeout`.
  int accept_one(std::chrono::milliseconds timeout);

 private:
  int _fd = -1;
  uint16_t _port = 0;
};

int connect_loopback(uint16_t port);

struct PeerRun {
  bool established = false;
  std::optional<Alert> alert_sent;
  std::optional<Alert> alert_received;
  std::string error;
  SessionInfo info;
  std::string received;  // application data
  size_t num_renegotiations_refused = 0;
};

struct PeerScript {
  std::string send_first;  // sent right after the handshake
  std::string until;       // read application data until this appears (or the peer closes)
  std::string reply;       // then sent
  bool close = true;       // then close_notify and shutdown
  bool corrupt_finished = false;
  std::chrono::milliseconds timeout{10000};
};

// Runs `c` (fresh, client or server) over connected socket `fd` (closed at the end).
PeerRun run_over_socket(int fd, Connection& c, const PeerScript& script);

PeerRun serve_one(Listener& listener, std::shared_ptr<const ServerConfig> config, const PeerScript& script);
PeerRun connect_and_run(uint16_t port, std::shared_ptr<const ClientConfig> config, const std::string& server_name,
                        const PeerScript& script);

}  // namespace tlsburst::handshake::test
