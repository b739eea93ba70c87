// Handshakes handed to the engine: tlsburst's server (the handshake worker) and client complete
// TLS 1.2 handshakes over loopback TCP with openssl s_client / s_server, install both directions'
// keys into a worker core's session table through the engine's ControlPlane, and the application
// data of the connection (and close_notify, and the refusal of a renegotiation) then goes through
// the engine's cores (lookaside Client), not through any record code of the handshake.
// EAL runs without hugepages or NICs (--no-huge --no-pci, one worker lcore).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "engine/core/client.hpp"
#include "engine/core/control_plane.hpp"
#include "engine/core/eal.hpp"
#include "engine/core/engine.hpp"
#include "engine/core/request.hpp"
#include "handshake/engine_key_installer.hpp"
#include "handshake/worker.hpp"
#include "tests/handshake/socket_peer.hpp"
#include "tests/handshake/subprocess.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {
namespace {

using namespace std::chrono_literals;

class EalEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    engine::EalOptions options;
    options.num_workers = 1;
    options.print_placement = false;
    auto r = engine::eal_init(std::vector<std::string>{"handshake_engine_tests", "--no-huge", "--no-pci", "-m", "256",
                                                       "--file-prefix=tlsburst_hs_" + std::to_string(getpid()),
                                                       "--log-level=lib.eal:error"},
                              options);
    if (!r) {
      std::fprintf(stderr, "EAL: %s\n", r.error().message.c_str());
      std::abort();
    }
  }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new EalEnvironment);

class EngineHandshakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test::find_tool("openssl").empty()) GTEST_SKIP() << "openssl CLI not installed";
    auto e = engine::Engine::start({});
    ASSERT_TRUE(e.ok()) << e.error().message;
    _engine = std::move(e).value();
    auto cp = engine::ControlPlane::create(*_engine);
    ASSERT_TRUE(cp.ok()) << cp.error().message;
    _control = std::move(cp).value();
    auto c = engine::Client::create(*_engine);
    ASSERT_TRUE(c.ok()) << c.error().message;
    _client = std::move(c).value();
    static int serial = 0;
    _pool = engine::create_request_pool(("hs_pool_" + std::to_string(serial++)).c_str(), 256, 0,
                                        18 * 1024 + RTE_PKTMBUF_HEADROOM);
    ASSERT_NE(_pool, nullptr);
  }
  void TearDown() override {
    _client.reset();
    _control.reset();
    if (_engine) _engine->stop();
    _engine.reset();
    if (_pool != nullptr) {
      EXPECT_EQ(rte_mempool_avail_count(_pool), _pool->size) << "mbufs leaked";
      engine::free_request_pool(_pool);
    }
  }

  // Carries `fd`'s records through the engine until `until` arrived, then answers `reply` and
  // closes (close_notify sealed by the engine).
  struct DataRun {
    std::string received;
    size_t opened = 0, sealed = 0, renegotiations_refused = 0;
    bool peer_closed = false;
    std::string error;
  };
  DataRun carry(int fd, uint64_t session, Role role, std::span<const uint8_t> unread, const std::string& send_first,
                const std::string& until, const std::string& reply) {
    DataRun r;
    EngineRecordStream s(*_client, _pool, engine::SessionHandle::from_value(session), role);
    auto flush = [&] {
      (void)::send(fd, s.output().data(), s.output().size(), MSG_NOSIGNAL);
      s.consume_output(s.output().size());
    };
    Status st = s.receive(unread);
    if (st && !send_first.empty()) st = s.send({reinterpret_cast<const uint8_t*>(send_first.data()), send_first.size()});
    flush();
    uint8_t buf[16384];
    auto have = [&] { return std::string(s.received().begin(), s.received().end()).find(until) != std::string::npos; };
    while (st && !have() && !s.peer_closed()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) break;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      st = s.receive({buf, static_cast<size_t>(n)});
      flush();
    }
    if (st && !reply.empty()) st = s.send({reinterpret_cast<const uint8_t*>(reply.data()), reply.size()});
    if (st) st = s.send_alert(AlertLevel::warning, Alert::close_notify);
    flush();
    ::shutdown(fd, SHUT_WR);
    while (st && !s.peer_closed()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 2000) <= 0) break;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      st = s.receive({buf, static_cast<size_t>(n)});
    }
    ::close(fd);
    if (!st) r.error = st.error().message;
    r.received.assign(s.received().begin(), s.received().end());
    r.opened = s.num_records_opened();
    r.sealed = s.num_records_sealed();
    r.renegotiations_refused = s.num_renegotiations_refused();
    r.peer_closed = s.peer_closed();
    return r;
  }

  std::unique_ptr<engine::Engine> _engine;
  std::unique_ptr<engine::ControlPlane> _control;
  std::unique_ptr<engine::Client> _client;
  rte_mempool* _pool = nullptr;
};

// Established connections from the worker thread, to the test thread (which owns the Client).
class QueueSink final : public EstablishedSink {
 public:
  void on_established(EstablishedConnection&& c) override {
    std::lock_guard<std::mutex> lock(_mutex);
    _queue.push_back(std::move(c));
    _cv.notify_all();
  }
  std::optional<EstablishedConnection> next(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(_mutex);
    if (!_cv.wait_for(lock, timeout, [&] { return !_queue.empty(); })) return std::nullopt;
    EstablishedConnection c = std::move(_queue.front());
    _queue.pop_front();
    return c;
  }

 private:
  std::mutex _mutex;
  std::condition_variable _cv;
  std::deque<EstablishedConnection> _queue;
};

TEST_F(EngineHandshakeTest, ServerSessionsRunOnTheEngineCores) {
  EngineKeyInstaller installer(*_control);
  QueueSink sink;
  test::Listener listener;
  auto worker = HandshakeWorker::start(test::default_server_config(), installer, sink, {}, listener.fd());
  ASSERT_TRUE(worker.ok());
  const std::vector<std::string> ciphers = {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                                            "ECDHE-RSA-CHACHA20-POLY1305", "AES256-GCM-SHA384",
                                            "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA"};
  for (const std::string& cipher : ciphers) {
    test::Subprocess client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(listener.port()),
                             "-tls1_2", "-cipher", cipher, "-CAfile", test::pki_path("ca.pem"), "-verify_return_error",
                             "-ign_eof"});
    client.write_stdin("ping through the engine\n");
    auto c = sink.next(10s);
    ASSERT_TRUE(c.has_value()) << cipher << "\n" << client.output();
    const engine::SessionHandle handle = engine::SessionHandle::from_value(c->session);
    EXPECT_TRUE(handle.valid());
    EXPECT_LT(handle.core(), _engine->num_cores());
    const auto before = _engine->total_stats();
    DataRun run = carry(c->fd, c->session, Role::server, c->unread, "", "\n", "pong from the engine\n");
    client.wait(10s);
    EXPECT_EQ(run.received, "ping through the engine\n") << cipher << " " << run.error;
    EXPECT_NE(client.output().find("pong from the engine"), std::string::npos) << client.output();
    EXPECT_GE(run.opened, 1u);
    EXPECT_GE(run.sealed, 2u) << "the reply and close_notify";
    const auto after = _engine->total_stats();
    EXPECT_GT(after.records(), before.records()) << "the records went through the engine's workers";
    EXPECT_TRUE(installer.remove(c->session).ok());
  }
  EXPECT_EQ((*worker)->stats().num_established.load(), ciphers.size());
}

TEST_F(EngineHandshakeTest, RenegotiationIsRefusedOnTheEngine) {
  EngineKeyInstaller installer(*_control);
  QueueSink sink;
  test::Listener listener;
  auto worker = HandshakeWorker::start(test::default_server_config(), installer, sink, {}, listener.fd());
  ASSERT_TRUE(worker.ok());
  test::Subprocess client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(listener.port()),
                           "-tls1_2", "-CAfile", test::pki_path("ca.pem")});
  auto c = sink.next(10s);
  ASSERT_TRUE(c.has_value()) << client.output();
  ASSERT_TRUE(client.wait_for_output("Verify return code", 5s));
  client.write_stdin("R\n");
  std::thread closer([&] {
    client.wait_for_output("no renegotiation", 5s);
    client.close_stdin();
  });
  DataRun run = carry(c->fd, c->session, Role::server, c->unread, "", "never sent", "");
  closer.join();
  client.wait(5s);
  EXPECT_EQ(run.renegotiations_refused, 1u) << client.output();
  EXPECT_NE(client.output().find("no renegotiation"), std::string::npos) << client.output();
  EXPECT_TRUE(installer.remove(c->session).ok());
}

TEST_F(EngineHandshakeTest, ClientSessionsRunOnTheEngineCores) {
  EngineKeyInstaller installer(*_control);
  for (const std::string cipher : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305", "AES128-SHA256"}) {
    test::Subprocess server({"openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-tls1_2", "-cert",
                             test::pki_path("server_rsa.leaf.pem"), "-key", test::pki_path("server_rsa.key"),
                             "-cert_chain", test::pki_path("intermediate.pem"), "-dcert",
                             test::pki_path("server_ecdsa.leaf.pem"), "-dkey", test::pki_path("server_ecdsa.key"),
                             "-dcert_chain", test::pki_path("intermediate.pem"), "-cipher", cipher, "-rev"});
    ASSERT_TRUE(server.wait_for_output("ACCEPT 127.0.0.1:", 5s)) << server.output();
    const auto at = server.output().find("ACCEPT 127.0.0.1:");
    const auto port = static_cast<uint16_t>(std::stoi(server.output().substr(at + 17)));
    const int fd = test::connect_loopback(port);
    ASSERT_GE(fd, 0);
    auto conn = Connection::client(test::default_client_config(), test::processor(), "localhost");
    ASSERT_TRUE(conn.ok());
    Connection& c = **conn;
    uint8_t buf[16384];
    while (c.state() == ConnectionState::handshaking) {
      (void)::send(fd, c.output().data(), c.output().size(), MSG_NOSIGNAL);
      c.consume_output(c.output().size());
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) break;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      (void)c.receive({buf, static_cast<size_t>(n)});
    }
    ASSERT_EQ(c.state(), ConnectionState::established) << cipher << ": " << (c.error() ? c.error()->message : "");
    EXPECT_EQ(cipher_suite_info(c.info().cipher_suite).openssl_name, cipher);
    auto keys = c.take_keys();
    ASSERT_TRUE(keys.ok());
    auto session = installer.install(keys->tx, keys->rx);
    ASSERT_TRUE(session.ok()) << session.error().message;
    const std::vector<uint8_t> unread(c.unread_input().begin(), c.unread_input().end());
    DataRun run = carry(fd, *session, Role::client, unread, "hello engine\n", "\n", "");
    server.wait(5s);
    EXPECT_EQ(run.received, "enigne olleh\n") << cipher << " " << run.error << "\n" << server.output();
    EXPECT_TRUE(installer.remove(*session).ok());
  }
}

}  // namespace
}  // namespace tlsburst::handshake
