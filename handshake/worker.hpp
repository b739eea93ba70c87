// The handshake worker: one thread multiplexing many sans-IO server handshakes over non-blocking
// sockets with epoll, on its own RecordProcessor. It never touches the data plane: when a
// handshake completes, it writes the last flight, installs both directions' keys through a
// KeyInstaller (the engine's control-plane API, or an in-process table) and hands the socket,
// the session handle and any bytes that followed the handshake to an EstablishedSink.
//
// Pending handshakes are bounded: sockets waiting to be picked up plus handshakes in progress
// never exceed max_pending. A connection arriving when the bound is reached is refused at once
// with a fatal alert (and counted); nothing is queued without bound. Handshakes that make no
// progress within handshake_timeout are dropped (and counted).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/key_installer.hpp"
#include "handshake/tls12/config.hpp"
#include "handshake/tls12/session_info.hpp"

namespace tlsburst::handshake {

struct EstablishedConnection {
  int fd = -1;  // owned by the sink from now on
  uint64_t session = 0;
  SessionInfo info;
  std::vector<uint8_t> unread;  // wire bytes after the client's Finished
};

class EstablishedSink {
 public:
  virtual ~EstablishedSink() = default;
  // Called on the worker thread; must not block for long.
  virtual void on_established(EstablishedConnection&& connection) = 0;
};

struct WorkerConfig {
  size_t max_pending = 1024;
  std::chrono::milliseconds handshake_timeout{10000};
  Alert overload_alert = Alert::internal_error;  // the refusal when max_pending is reached
  size_t max_events = 256;                       // epoll batch
};

struct WorkerStats {
  std::atomic<uint64_t> num_accepted{0};
  std::atomic<uint64_t> num_established{0};
  std::atomic<uint64_t> num_failed{0};     // protocol failures (an alert was sent or received)
  std::atomic<uint64_t> num_refused{0};    // over max_pending
  std::atomic<uint64_t> num_timed_out{0};
  std::atomic<uint64_t> num_install_failed{0};
  std::atomic<uint64_t> num_pending{0};    // now
};

class HandshakeWorker {
 public:
  // Starts the thread. With listen_fd >= 0 the worker accepts on it (it stays the caller's).
  static Result<std::unique_ptr<HandshakeWorker>> start(std::shared_ptr<const ServerConfig> config,
                                                        KeyInstaller& installer, EstablishedSink& sink,
                                                        const WorkerConfig& worker_config = {}, int listen_fd = -1);
  ~HandshakeWorker();  // stop()
  HandshakeWorker(const HandshakeWorker&) = delete;
  HandshakeWorker& operator=(const HandshakeWorker&) = delete;

  // Hands over an accepted socket (any thread, never blocks). Returns false when it was refused
  // (pending bound reached: the alert was sent and the socket closed).
  bool submit(int fd);
  // Stops the thread; sockets of unfinished handshakes are closed.
  void stop();

  const WorkerStats& stats() const noexcept { return _stats; }

 private:
  struct Impl;
  explicit HandshakeWorker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> _impl;
  WorkerStats& _stats;
};

// Sends the plaintext fatal alert record for `alert` on `fd` without blocking (best effort).
void send_plaintext_alert(int fd, Alert alert) noexcept;

}  // namespace tlsburst::handshake
