#include "handshake/worker.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <unordered_map>

#include "handshake/tls12/connection.hpp"

namespace tlsburst::handshake {

void send_plaintext_alert(int fd, Alert alert) noexcept {
  const uint8_t record[7] = {21, 3, 3, 0, 2, static_cast<uint8_t>(AlertLevel::fatal), static_cast<uint8_t>(alert)};
  (void)::send(fd, record, sizeof record, MSG_NOSIGNAL | MSG_DONTWAIT);
}

namespace {

using Clock = std::chrono::steady_clock;

constexpr uint64_t wake_tag = ~uint64_t{0};
constexpr uint64_t listen_tag = ~uint64_t{0} - 1;
// A socket we close after our last bytes: shut down for writing, then drained until the peer
// closes (closing with unread input would reset the connection and could destroy the alert).
constexpr std::chrono::milliseconds linger_time{1000};
constexpr size_t max_lingering = 4096;

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

struct HandshakeWorker::Impl {
  std::shared_ptr<const ServerConfig> config;
  KeyInstaller* installer = nullptr;
  EstablishedSink* sink = nullptr;
  WorkerConfig worker_config;
  int listen_fd = -1;
  int epoll_fd = -1;
  int wake_fd = -1;
  WorkerStats stats;
  std::atomic<bool> stopping{false};
  std::mutex queue_mutex;  // submit() hand-over only
  std::vector<int> queued;
  std::thread thread;

  struct Active {
    std::unique_ptr<Connection> connection;
    Clock::time_point deadline;
    bool writing = false;  // EPOLLOUT armed
  };
  std::unordered_map<int, Active> active;
  std::unordered_map<int, Clock::time_point> lingering;

  // Reserves a pending slot; false when the bound is reached.
  bool reserve() {
    uint64_t n = stats.num_pending.load(std::memory_order_relaxed);
    do {
      if (n >= worker_config.max_pending) return false;
    } while (!stats.num_pending.compare_exchange_weak(n, n + 1, std::memory_order_relaxed));
    return true;
  }
  void release() { stats.num_pending.fetch_sub(1, std::memory_order_relaxed); }

  void refuse(int fd) {
    stats.num_refused.fetch_add(1, std::memory_order_relaxed);
    send_plaintext_alert(fd, worker_config.overload_alert);
    linger_close(fd);
  }

  // Worker thread only.
  void linger_close(int fd) {
    ::shutdown(fd, SHUT_WR);
    if (lingering.size() >= max_lingering) {
      ::close(fd);
      return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = static_cast<uint64_t>(fd);
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0 &&
        ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev) != 0) {
      ::close(fd);
      return;
    }
    lingering[fd] = Clock::now() + linger_time;
  }

  void drop_lingering(int fd) {
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    lingering.erase(fd);
  }

  void add_connection(int fd, record::RecordProcessor& processor) {
    stats.num_accepted.fetch_add(1, std::memory_order_relaxed);
    set_nonblocking(fd);
    auto c = Connection::server(config, processor);
    if (!c) {
      ::close(fd);
      release();
      stats.num_failed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u64 = static_cast<uint64_t>(fd);
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      ::close(fd);
      release();
      stats.num_failed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    active[fd] = Active{std::move(c).value(), Clock::now() + worker_config.handshake_timeout, false};
  }

  // Ends a pending handshake: hands it over, or closes it.
  void finish(int fd, bool hand_over) {
    auto it = active.find(fd);
    std::unique_ptr<Connection> c = std::move(it->second.connection);
    active.erase(it);
    release();
    if (!hand_over) {
      ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
      linger_close(fd);
      return;
    }
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    auto keys = c->take_keys();
    Result<uint64_t> handle = keys ? installer->install(keys->tx, keys->rx) : Result<uint64_t>(keys.error());
    if (!handle) {
      stats.num_install_failed.fetch_add(1, std::memory_order_relaxed);
      ::close(fd);
      return;
    }
    stats.num_established.fetch_add(1, std::memory_order_relaxed);
    EstablishedConnection e;
    e.fd = fd;
    e.session = *handle;
    e.info = c->info();
    e.unread.assign(c->unread_input().begin(), c->unread_input().end());
    if (sink != nullptr) {
      sink->on_established(std::move(e));
    } else {
      ::close(fd);
    }
  }

  // Writes what the connection has; true when all of it went out.
  bool flush(int fd, Active& a) {
    Connection& c = *a.connection;
    while (!c.output().empty()) {
      const ssize_t n = ::send(fd, c.output().data(), c.output().size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        c.consume_output(static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!a.writing) {
          epoll_event ev{};
          ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
          ev.data.u64 = static_cast<uint64_t>(fd);
          ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
          a.writing = true;
        }
        return false;
      }
      return false;  // error: the peer is gone; the caller closes
    }
    if (a.writing) {
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP;
      ev.data.u64 = static_cast<uint64_t>(fd);
      ::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &ev);
      a.writing = false;
    }
    return true;
  }

  void on_connection_event(int fd, uint32_t events) {
    auto it = active.find(fd);
    if (it == active.end()) return;
    Active& a = it->second;
    Connection& c = *a.connection;
    bool peer_gone = false;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
      uint8_t buf[16384];
      while (c.state() == ConnectionState::handshaking) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
          (void)c.receive({buf, static_cast<size_t>(n)});
          a.deadline = Clock::now() + worker_config.handshake_timeout;
          continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        peer_gone = true;  // EOF or error
        break;
      }
    }
    const bool flushed = flush(fd, a);
    switch (c.state()) {
      case ConnectionState::handshaking:
        if (peer_gone) {
          stats.num_failed.fetch_add(1, std::memory_order_relaxed);
          finish(fd, false);
        }
        return;
      case ConnectionState::established:
        if (flushed) finish(fd, true);
        return;  // else: handed over once EPOLLOUT drained the last flight
      case ConnectionState::failed:
      case ConnectionState::closed:
        stats.num_failed.fetch_add(1, std::memory_order_relaxed);
        finish(fd, false);  // the alert went out as far as the socket took it
        return;
    }
  }

  void expire(Clock::time_point now) {
    std::vector<int> expired;
    for (const auto& [fd, a] : active) {
      if (a.deadline <= now) expired.push_back(fd);
    }
    for (int fd : expired) {
      stats.num_timed_out.fetch_add(1, std::memory_order_relaxed);
      finish(fd, false);
    }
    std::vector<int> done;
    for (const auto& [fd, deadline] : lingering) {
      if (deadline <= now) done.push_back(fd);
    }
    for (int fd : done) drop_lingering(fd);
  }

  void run() {
    auto processor = record::RecordProcessor::create();
    if (!processor) {
      stopping = true;
      return;
    }
    std::vector<epoll_event> events(worker_config.max_events);
    Clock::time_point next_expiry = Clock::now();
    while (!stopping.load(std::memory_order_acquire)) {
      const int n = ::epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 50);
      for (int i = 0; i < n; ++i) {
        const uint64_t tag = events[i].data.u64;
        if (tag == wake_tag) {
          uint64_t v;
          (void)::read(wake_fd, &v, sizeof v);
          std::vector<int> fds;
          {
            std::lock_guard<std::mutex> lock(queue_mutex);
            fds.swap(queued);
          }
          for (int fd : fds) add_connection(fd, *processor);  // slots reserved by submit()
        } else if (tag == listen_tag) {
          while (true) {
            const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd < 0) break;
            if (reserve()) {
              add_connection(fd, *processor);
            } else {
              refuse(fd);
            }
          }
        } else {
          const int fd = static_cast<int>(tag);
          if (lingering.count(fd)) {
            uint8_t discard[4096];
            ssize_t r;
            while ((r = ::recv(fd, discard, sizeof discard, MSG_DONTWAIT)) > 0) {
            }
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) drop_lingering(fd);
          } else {
            on_connection_event(fd, events[i].events);
          }
        }
      }
      const auto now = Clock::now();
      if (now >= next_expiry) {
        expire(now);
        next_expiry = now + std::chrono::milliseconds(20);
      }
    }
    for (auto& [fd, a] : active) {
      ::close(fd);
      release();
    }
    active.clear();
    for (auto& [fd, deadline] : lingering) ::close(fd);
    lingering.clear();
    std::lock_guard<std::mutex> lock(queue_mutex);
    for (int fd : queued) {
      ::close(fd);
      release();
    }
    queued.clear();
  }
};

Result<std::unique_ptr<HandshakeWorker>> HandshakeWorker::start(std::shared_ptr<const ServerConfig> config,
                                                                KeyInstaller& installer, EstablishedSink& sink,
                                                                const WorkerConfig& worker_config, int listen_fd) {
  if (!config) return make_error(Alert::internal_error, "worker: no config");
  if (Status s = config->validate(); !s) return s.error();
  if (worker_config.max_pending == 0) return make_error(Alert::internal_error, "worker: max_pending is 0");
  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  impl->installer = &installer;
  impl->sink = &sink;
  impl->worker_config = worker_config;
  impl->listen_fd = listen_fd;
  impl->epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  impl->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl->epoll_fd < 0 || impl->wake_fd < 0) return make_error(Alert::internal_error, "worker: epoll/eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = wake_tag;
  ::epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, impl->wake_fd, &ev);
  if (listen_fd >= 0) {
    set_nonblocking(listen_fd);
    ev.data.u64 = listen_tag;
    if (::epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev) != 0) {
      return make_error(Alert::internal_error, "worker: cannot watch the listening socket");
    }
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<HandshakeWorker>(new HandshakeWorker(std::move(impl)));
}

HandshakeWorker::HandshakeWorker(std::unique_ptr<Impl> impl) : _impl(std::move(impl)), _stats(_impl->stats) {}

HandshakeWorker::~HandshakeWorker() {
  stop();
  if (_impl->epoll_fd >= 0) ::close(_impl->epoll_fd);
  if (_impl->wake_fd >= 0) ::close(_impl->wake_fd);
}

bool HandshakeWorker::submit(int fd) {
  if (_impl->stopping.load(std::memory_order_acquire) || !_impl->reserve()) {
    _impl->stats.num_refused.fetch_add(1, std::memory_order_relaxed);
    send_plaintext_alert(fd, _impl->worker_config.overload_alert);
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(_impl->queue_mutex);
    _impl->queued.push_back(fd);
  }
  const uint64_t one = 1;
  (void)::write(_impl->wake_fd, &one, sizeof one);
  return true;
}

void HandshakeWorker::stop() {
  if (!_impl->thread.joinable()) return;
  _impl->stopping.store(true, std::memory_order_release);
  const uint64_t one = 1;
  (void)::write(_impl->wake_fd, &one, sizeof one);
  _impl->thread.join();
}

}  // namespace tlsburst::handshake
