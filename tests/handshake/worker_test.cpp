// The handshake worker: many concurrent handshakes over real sockets, keys handed to a
// KeyInstaller and the sessions' data carried by another thread; the bounded pending queue
// refusing with an alert; timeouts. Also in the 'concurrency' suite (ThreadSanitizer).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <thread>

#include "handshake/worker.hpp"
#include "tests/handshake/socket_peer.hpp"
#include "tests/handshake/subprocess.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {
namespace {

using namespace std::chrono_literals;
using Bytes = std::vector<uint8_t>;

// Collects established connections; a data thread per connection answers "echo: <line>".
class EchoSink final : public EstablishedSink {
 public:
  explicit EchoSink(LocalKeyInstaller& installer) : _installer(installer) {}
  ~EchoSink() override { join(); }

  void on_established(EstablishedConnection&& c) override {
    std::lock_guard<std::mutex> lock(_mutex);
    ++_num_established;
    _threads.emplace_back([this, c = std::move(c)]() mutable { serve(std::move(c)); });
  }
  void join() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(_mutex);
      threads.swap(_threads);
    }
    for (auto& t : threads) t.join();
  }
  size_t num_established() {
    std::lock_guard<std::mutex> lock(_mutex);
    return _num_established;
  }
  size_t num_echoed() { return _num_echoed.load(); }

 private:
  void serve(EstablishedConnection c) {
    auto session = _installer.claim(c.session, test::processor());  // this thread's processor
    if (!session) {
      ::close(c.fd);
      return;
    }
    LocalSession& s = **session;
    Status st = s.receive(c.unread);
    uint8_t buf[4096];
    auto line = [&] {
      const std::string r(s.received().begin(), s.received().end());
      return r.find('\n') == std::string::npos ? std::string() : r;
    };
    while (st.ok() && line().empty() && !s.peer_closed()) {
      pollfd p{c.fd, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) break;
      const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      st = s.receive({buf, static_cast<size_t>(n)});
    }
    const std::string request = line();
    if (!request.empty()) {
      const std::string reply = "echo: " + request;
      (void)s.send({reinterpret_cast<const uint8_t*>(reply.data()), reply.size()});
      (void)s.send_close_notify();
      (void)::send(c.fd, s.output().data(), s.output().size(), MSG_NOSIGNAL);
      ++_num_echoed;
    }
    ::shutdown(c.fd, SHUT_WR);
    while (::recv(c.fd, buf, sizeof buf, 0) > 0) {
    }
    ::close(c.fd);
  }

  LocalKeyInstaller& _installer;
  std::mutex _mutex;
  std::vector<std::thread> _threads;
  size_t _num_established = 0;
  std::atomic<size_t> _num_echoed{0};
};

TEST(WorkerTest, ManyConcurrentHandshakes) {
  test::Listener listener;
  LocalKeyInstaller installer(Role::server);
  EchoSink sink(installer);
  auto worker = HandshakeWorker::start(test::default_server_config(), installer, sink, {}, listener.fd());
  ASSERT_TRUE(worker.ok()) << worker.error().message;
  constexpr int num_threads = 4, per_thread = 20;
  std::atomic<int> num_ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < num_threads; ++t) {
    clients.emplace_back([&, t] {
      auto config = test::default_client_config();
      config->cipher_suites = {t % 2 ? CipherSuite::ecdhe_ecdsa_aes_128_gcm_sha256 : CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256};
      for (int i = 0; i < per_thread; ++i) {
        test::PeerScript script;
        script.send_first = "client ";
        script.send_first += std::to_string(t);
        script.send_first += " request ";
        script.send_first += std::to_string(i);
        script.send_first += '\n';
        script.until.assign(1, '\n');  // (assigning "\n" trips GCC 12 -Wrestrict, bug 105329)
        auto run = test::connect_and_run(listener.port(), config, "localhost", script);
        if (run.established && run.received == "echo: " + script.send_first) ++num_ok;
      }
    });
  }
  for (auto& c : clients) c.join();
  sink.join();
  EXPECT_EQ(num_ok.load(), num_threads * per_thread);
  EXPECT_EQ((*worker)->stats().num_established.load(), uint64_t{num_threads * per_thread});
  EXPECT_EQ(sink.num_echoed(), size_t{num_threads * per_thread});
  EXPECT_EQ((*worker)->stats().num_refused.load(), 0u);
  (*worker)->stop();
  EXPECT_EQ((*worker)->stats().num_pending.load(), 0u);
  EXPECT_EQ(installer.num_sessions(), 0u) << "every session was claimed by the data side";
}

// What a client that sends nothing receives: the worker's alert record, or nothing until EOF.
Bytes read_until_eof(int fd, std::chrono::milliseconds timeout) {
  Bytes out;
  uint8_t buf[64];
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.insert(out.end(), buf, buf + n);
  }
  return out;
}

TEST(WorkerTest, BoundedQueueRefusesWithAnAlert) {
  test::Listener listener;
  LocalKeyInstaller installer(Role::server);
  EchoSink sink(installer);
  WorkerConfig wc;
  wc.max_pending = 3;
  wc.handshake_timeout = 400ms;
  auto worker = HandshakeWorker::start(test::default_server_config(), installer, sink, wc, listener.fd());
  ASSERT_TRUE(worker.ok());
  // Ten clients connect and stall: three occupy the pending slots, seven are refused.
  std::vector<int> fds;
  for (int i = 0; i < 10; ++i) {
    fds.push_back(test::connect_loopback(listener.port()));
    ASSERT_GE(fds.back(), 0);
    // Let the worker accept in order.
    for (int w = 0; w < 100 && (*worker)->stats().num_accepted + (*worker)->stats().num_refused < uint64_t(i + 1); ++w) {
      std::this_thread::sleep_for(2ms);
    }
  }
  const Bytes alert = {21, 3, 3, 0, 2, 2, static_cast<uint8_t>(Alert::internal_error)};
  size_t num_alerts = 0, num_silent = 0;
  for (int fd : fds) {
    const Bytes got = read_until_eof(fd, 3s);
    if (got == alert) ++num_alerts;
    if (got.empty()) ++num_silent;
    ::close(fd);
  }
  EXPECT_EQ(num_alerts, 7u);
  EXPECT_EQ(num_silent, 3u) << "the pending ones timed out and were closed";
  EXPECT_EQ((*worker)->stats().num_refused.load(), 7u);
  EXPECT_EQ((*worker)->stats().num_timed_out.load(), 3u);
  EXPECT_EQ((*worker)->stats().num_pending.load(), 0u);

  // With the slots free again, a real handshake goes through.
  test::PeerScript script;
  script.send_first = "after the storm\n";
  script.until = "\n";
  auto run = test::connect_and_run(listener.port(), test::default_client_config(), "localhost", script);
  EXPECT_TRUE(run.established) << run.error;
  EXPECT_EQ(run.received, "echo: after the storm\n");
}

TEST(WorkerTest, SubmittedSocketsAndRefusal) {
  test::Listener listener;
  LocalKeyInstaller installer(Role::server);
  EchoSink sink(installer);
  WorkerConfig wc;
  wc.max_pending = 1;
  wc.handshake_timeout = 5s;
  auto worker = HandshakeWorker::start(test::default_server_config(), installer, sink, wc);
  ASSERT_TRUE(worker.ok());
  const int stalled = test::connect_loopback(listener.port());
  const int s1 = listener.accept_one(1s);
  ASSERT_TRUE((*worker)->submit(s1));
  const int refused = test::connect_loopback(listener.port());
  const int s2 = listener.accept_one(1s);
  EXPECT_FALSE((*worker)->submit(s2)) << "the one slot is taken";
  EXPECT_EQ(read_until_eof(refused, 2s), (Bytes{21, 3, 3, 0, 2, 2, 80}));
  EXPECT_EQ((*worker)->stats().num_refused.load(), 1u);
  ::close(refused);
  ::close(stalled);  // the pending handshake fails (EOF) and frees its slot
  for (int i = 0; i < 200 && (*worker)->stats().num_pending.load() != 0; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ((*worker)->stats().num_pending.load(), 0u);
  EXPECT_EQ((*worker)->stats().num_failed.load(), 1u);
}

TEST(WorkerTest, OpensslClientsThroughTheWorker) {
  if (test::find_tool("openssl").empty()) GTEST_SKIP();
  test::Listener listener;
  LocalKeyInstaller installer(Role::server);
  EchoSink sink(installer);
  auto worker = HandshakeWorker::start(test::default_server_config(), installer, sink, {}, listener.fd());
  ASSERT_TRUE(worker.ok());
  std::vector<std::unique_ptr<test::Subprocess>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<test::Subprocess>(std::vector<std::string>{
        "openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(listener.port()), "-tls1_2", "-CAfile",
        test::pki_path("ca.pem"), "-verify_return_error", "-ign_eof"}));
    clients.back()->write_stdin("s_client " + std::to_string(i) + "\n");
  }
  for (size_t i = 0; i < clients.size(); ++i) {
    clients[i]->wait(10s);
    EXPECT_NE(clients[i]->output().find("echo: s_client " + std::to_string(i)), std::string::npos)
        << clients[i]->output();
  }
  sink.join();
  EXPECT_EQ((*worker)->stats().num_established.load(), 4u);
}

}  // namespace
}  // namespace tlsburst::handshake
