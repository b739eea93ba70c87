// In-memory TLS 1.2 handshakes between tlsburst's client and server: every suite and key type,
// application data both ways through the handed-over keys, fragmentation, extensions, client
// certificates, and the failure cases with the alert each must produce.
#include <gtest/gtest.h>

#include "handshake/crypto/rsa_key_exchange.hpp"
#include "handshake/keylog.hpp"
#include "handshake/local_session.hpp"
#include "handshake/messages/client_hello.hpp"
#include "handshake/messages/client_key_exchange.hpp"
#include "handshake/messages/handshake_framing.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {

struct ConnectionTestPeer {
  static void corrupt_finished(Connection& c) { c._corrupt_finished_for_test = true; }
};

namespace {

using test::default_client_config;
using test::default_server_config;
using test::make_handshake_pair;
using test::pump;

// Carries application data both ways through LocalSessions made from the handed-over keys.
void exchange_application_data(Connection& client, Connection& server) {
  auto ck = client.take_keys();
  auto sk = server.take_keys();
  ASSERT_TRUE(ck.ok() && sk.ok());
  // Finished used sequence number 0 (and more when it was fragmented): both ends agree on what
  // comes next.
  EXPECT_GE(ck->tx.initial_seq, 1u);
  EXPECT_EQ(ck->tx.initial_seq, sk->rx.initial_seq);
  EXPECT_EQ(sk->tx.initial_seq, ck->rx.initial_seq);
  auto cs = LocalSession::create(test::processor(), *ck, Role::client);
  auto ss = LocalSession::create(test::processor(), *sk, Role::server);
  ASSERT_TRUE(cs.ok() && ss.ok());
  LocalSession& c = **cs;
  LocalSession& s = **ss;
  // Whatever followed the handshake on the wire belongs to the sessions.
  ASSERT_TRUE(s.receive(server.unread_input()).ok());
  ASSERT_TRUE(c.receive(client.unread_input()).ok());

  std::vector<uint8_t> request(40000);
  for (size_t i = 0; i < request.size(); ++i) request[i] = static_cast<uint8_t>(i * 7);
  ASSERT_TRUE(c.send(request).ok());
  ASSERT_TRUE(s.receive(c.output()).ok());
  c.consume_output(c.output().size());
  EXPECT_EQ(s.received(), request);

  const std::string reply = "reply from the server";
  ASSERT_TRUE(s.send({reinterpret_cast<const uint8_t*>(reply.data()), reply.size()}).ok());
  ASSERT_TRUE(c.receive(s.output()).ok());
  s.consume_output(s.output().size());
  EXPECT_EQ(std::string(c.received().begin(), c.received().end()), reply);

  ASSERT_TRUE(c.send_close_notify().ok());
  ASSERT_TRUE(s.receive(c.output()).ok());
  EXPECT_TRUE(s.peer_closed());
}

struct SuiteCase {
  CipherSuite suite;
  std::string server_credential;
};

class AllSuitesTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(AllSuitesTest, HandshakeAndApplicationData) {
  const SuiteCase& p = GetParam();
  auto server_config = default_server_config();
  server_config->credentials = {test::credential(p.server_credential)};
  auto client_config = default_client_config();
  client_config->cipher_suites = {p.suite};
  auto pair = make_handshake_pair(client_config, server_config);
  ASSERT_TRUE(pair.client && pair.server);
  ASSERT_TRUE(pump(*pair.client, *pair.server)) << (pair.client->error() ? pair.client->error()->message : "")
                                                  << " / " << (pair.server->error() ? pair.server->error()->message : "");
  ASSERT_EQ(pair.client->state(), ConnectionState::established);
  ASSERT_EQ(pair.server->state(), ConnectionState::established);
  EXPECT_EQ(pair.client->info().cipher_suite, p.suite);
  EXPECT_EQ(pair.server->info().cipher_suite, p.suite);
  EXPECT_TRUE(pair.client->info().extended_master_secret);
  EXPECT_TRUE(pair.client->info().secure_renegotiation);
  EXPECT_TRUE(pair.server->info().secure_renegotiation);
  EXPECT_TRUE(pair.client->info().peer_authenticated);
  EXPECT_EQ(pair.client->info().encrypt_then_mac, is_cbc(p.suite));
  exchange_application_data(*pair.client, *pair.server);
}

std::vector<SuiteCase> all_suite_cases() {
  std::vector<SuiteCase> cases;
  for (const CipherSuiteInfo& i : cipher_suite_table) {
    if (i.authentication == KeyType::rsa) {
      cases.push_back({i.suite, "server_rsa"});
    } else {
      cases.push_back({i.suite, "server_ecdsa"});
      cases.push_back({i.suite, "server_p384"});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Suites, AllSuitesTest, ::testing::ValuesIn(all_suite_cases()),
                         [](const ::testing::TestParamInfo<SuiteCase>& info) {
                           std::string n(cipher_suite_info(info.param.suite).openssl_name);
                           for (char& c : n) if (c == '-') c = '_';
                           return n + "_" + info.param.server_credential;
                         });

using Bytes = std::vector<uint8_t>;

Bytes take_output(Connection& c) {
  Bytes b(c.output().begin(), c.output().end());
  c.consume_output(b.size());
  return b;
}

std::optional<Alert> received_alert(Connection& c) {
  for (const Event& e : test::drain_events(c)) {
    if (e.kind == EventKind::alert_received) return e.alert;
  }
  return std::nullopt;
}

size_t count_records(const Bytes& wire) {
  size_t n = 0, at = 0;
  while (at + 5 <= wire.size()) {
    at += 5 + ((size_t{wire[at + 3]} << 8) | wire[at + 4]);
    ++n;
  }
  return n;
}

// ------------------------------------------------------------------ successful variants

TEST(HandshakeTest, FlightsAreCoalescedIntoRecords) {
  auto pair = make_handshake_pair(default_client_config(), default_server_config());
  const Bytes hello = take_output(*pair.client);
  EXPECT_EQ(count_records(hello), 1u);
  ASSERT_TRUE(pair.server->receive(hello).ok());
  const Bytes flight = take_output(*pair.server);
  // ServerHello, Certificate, ServerKeyExchange and ServerHelloDone share one record.
  EXPECT_EQ(count_records(flight), 1u);
  ASSERT_TRUE(pair.client->receive(flight).ok());
  const Bytes second = take_output(*pair.client);
  EXPECT_EQ(count_records(second), 3u) << "ClientKeyExchange, ChangeCipherSpec, Finished";
  ASSERT_TRUE(pair.server->receive(second).ok());
  EXPECT_EQ(pair.server->state(), ConnectionState::established);
  ASSERT_TRUE(pair.client->receive(take_output(*pair.server)).ok());
  EXPECT_EQ(pair.client->state(), ConnectionState::established);
}

TEST(HandshakeTest, MessagesFragmentedAcrossRecordsAndBytes) {
  for (size_t fragment : {size_t{1}, size_t{7}, size_t{300}}) {
    for (size_t chunk : {size_t{1}, size_t{5}, size_t{0}}) {
      auto sc = default_server_config();
      sc->record_options.max_plaintext_fragment_len = fragment;
      auto cc = default_client_config();
      cc->record_options.max_plaintext_fragment_len = fragment;
      cc->credential = test::credential("client_rsa");
      sc->client_auth = ClientAuth::require;
      sc->client_ca = test::verifier();
      auto pair = make_handshake_pair(cc, sc);
      ASSERT_TRUE(pump(*pair.client, *pair.server, chunk, 1000000)) << fragment << "/" << chunk;
      ASSERT_EQ(pair.server->state(), ConnectionState::established);
      EXPECT_TRUE(pair.server->info().peer_authenticated);
      exchange_application_data(*pair.client, *pair.server);
    }
  }
}

TEST(HandshakeTest, ClientCertificates) {
  for (const std::string name : {"client_rsa", "client_ecdsa"}) {
    for (ClientAuth mode : {ClientAuth::request, ClientAuth::require}) {
      auto sc = default_server_config();
      sc->client_auth = mode;
      sc->client_ca = test::verifier();
      auto cc = default_client_config();
      cc->credential = test::credential(name);
      auto pair = make_handshake_pair(cc, sc);
      ASSERT_TRUE(pump(*pair.client, *pair.server)) << name;
      EXPECT_TRUE(pair.server->info().peer_authenticated) << name;
      exchange_application_data(*pair.client, *pair.server);
    }
  }
  // Requested but not sent.
  auto sc = default_server_config();
  sc->client_auth = ClientAuth::request;
  sc->client_ca = test::verifier();
  auto pair = make_handshake_pair(default_client_config(), sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_FALSE(pair.server->info().peer_authenticated);
}

TEST(HandshakeTest, AlpnSniAndExtendedMasterSecret) {
  auto sc = default_server_config();
  sc->alpn = {"h2", "http/1.1"};
  sc->server_names = {"localhost"};
  auto cc = default_client_config();
  cc->alpn = {"http/1.1", "h2"};
  auto pair = make_handshake_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_EQ(pair.server->info().alpn, "h2") << "server preference";
  EXPECT_EQ(pair.client->info().alpn, "h2");
  EXPECT_EQ(pair.server->info().server_name, "localhost");
  EXPECT_TRUE(pair.server->info().extended_master_secret);

  auto no_ems = default_client_config();
  no_ems->offer_extended_master_secret = false;
  auto p2 = make_handshake_pair(no_ems, default_server_config());
  ASSERT_TRUE(pump(*p2.client, *p2.server));
  EXPECT_FALSE(p2.server->info().extended_master_secret);
  EXPECT_FALSE(p2.client->info().extended_master_secret);
  exchange_application_data(*p2.client, *p2.server);
}

TEST(HandshakeTest, IpAddressNamesAreVerifiedButNotSent) {
  auto pair = make_handshake_pair(default_client_config(), default_server_config(), "127.0.0.1");
  ASSERT_TRUE(pump(*pair.client, *pair.server)) << (pair.client->error() ? pair.client->error()->message : "");
  EXPECT_TRUE(pair.client->info().peer_authenticated) << "the certificate holds IP:127.0.0.1";
  EXPECT_EQ(pair.server->info().server_name, "") << "no server_name for an address (RFC 6066)";
  auto wrong = make_handshake_pair(default_client_config(), default_server_config(), "127.0.0.2");
  EXPECT_FALSE(pump(*wrong.client, *wrong.server));
  EXPECT_EQ(test::sent_alert(*wrong.client), Alert::bad_certificate);
}

TEST(HandshakeTest, ServerPreferenceOrClientPreference) {
  auto cc = default_client_config();
  cc->cipher_suites = {CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256, CipherSuite::ecdhe_rsa_aes_256_gcm_sha384};
  auto sc = default_server_config();
  sc->cipher_suites = {CipherSuite::ecdhe_rsa_aes_256_gcm_sha384, CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256};
  auto p1 = make_handshake_pair(cc, sc);
  ASSERT_TRUE(pump(*p1.client, *p1.server));
  EXPECT_EQ(p1.server->info().cipher_suite, CipherSuite::ecdhe_rsa_aes_256_gcm_sha384);
  sc->honor_client_order = true;
  auto p2 = make_handshake_pair(cc, sc);
  ASSERT_TRUE(pump(*p2.client, *p2.server));
  EXPECT_EQ(p2.server->info().cipher_suite, CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256);
  // Groups: the server's order.
  cc->groups = {NamedGroup::secp384r1, NamedGroup::x25519};
  auto p3 = make_handshake_pair(cc, default_server_config());
  ASSERT_TRUE(pump(*p3.client, *p3.server));
  EXPECT_EQ(p3.server->info().group, NamedGroup::x25519);
}

class MemoryKeyLog final : public KeyLog {
 public:
  void write_line(const std::string& line) override { lines.push_back(line); }
  std::vector<std::string> lines;
};

TEST(HandshakeTest, KeyLogLines) {
  auto log = std::make_shared<MemoryKeyLog>();
  auto sc = default_server_config();
  sc->key_log = log;
  auto cc = default_client_config();
  cc->key_log = log;
  auto pair = make_handshake_pair(cc, sc);
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  ASSERT_EQ(log->lines.size(), 2u);
  EXPECT_EQ(log->lines[0], log->lines[1]) << "both ends derive the same master secret";
  const std::string expected_prefix = "CLIENT_RANDOM " + test::to_hex(pair.client->info().client_random) + " ";
  EXPECT_EQ(log->lines[0].substr(0, expected_prefix.size()), expected_prefix);
  EXPECT_EQ(log->lines[0].size(), expected_prefix.size() + 96);
}

TEST(HandshakeTest, RenegotiationIsRefusedAfterTheHandshake) {
  auto pair = make_handshake_pair(default_client_config(), default_server_config());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  auto ck = pair.client->take_keys();
  auto sk = pair.server->take_keys();
  ASSERT_TRUE(ck.ok() && sk.ok());
  auto server = LocalSession::create(test::processor(), *sk, Role::server);
  ASSERT_TRUE(server.ok());
  // The client side of the test speaks raw records: a renegotiating ClientHello, encrypted.
  RecordChannel client(test::processor());
  ASSERT_TRUE(client.activate_tx(ck->tx).ok());
  ASSERT_TRUE(client.activate_rx(ck->rx).ok());
  ClientHelloParams p;
  const std::vector<uint16_t> suites = {0xc02f};
  p.cipher_suites = suites;
  Bytes hello;
  ASSERT_TRUE(encode_client_hello(p, hello).ok());
  client.queue_handshake(hello);
  ASSERT_TRUE(client.flush().ok());
  ASSERT_TRUE((*server)->receive(client.output()).ok());
  EXPECT_EQ((*server)->num_renegotiations_refused(), 1u);
  client.append_input((*server)->output());
  auto in = client.next();
  ASSERT_TRUE(in.ok());
  ASSERT_EQ(in->kind, Inbound::Kind::alert);
  EXPECT_EQ(in->alert.level, AlertLevel::warning);
  EXPECT_EQ(in->alert.description, Alert::no_renegotiation);
}

// ------------------------------------------------------------------ failures and their alerts

struct Failure {
  std::optional<Alert> client_sent, server_sent, client_received, server_received;
};

Failure outcome(test::HandshakePair& p) {
  Failure f;
  for (const Event& e : test::drain_events(*p.client)) {
    if (e.kind == EventKind::alert_sent) f.client_sent = e.alert;
    if (e.kind == EventKind::alert_received) f.client_received = e.alert;
  }
  for (const Event& e : test::drain_events(*p.server)) {
    if (e.kind == EventKind::alert_sent) f.server_sent = e.alert;
    if (e.kind == EventKind::alert_received) f.server_received = e.alert;
  }
  return f;
}

TEST(HandshakeFailureTest, WrongCaAndWrongHostName) {
  auto cc = default_client_config();
  cc->trust = test::verifier("wrong_ca.pem");
  auto p1 = make_handshake_pair(cc, default_server_config());
  EXPECT_FALSE(pump(*p1.client, *p1.server));
  auto f1 = outcome(p1);
  EXPECT_EQ(f1.client_sent, Alert::unknown_ca);
  EXPECT_EQ(f1.server_received, Alert::unknown_ca);
  EXPECT_EQ(p1.server->state(), ConnectionState::failed);

  auto p2 = make_handshake_pair(default_client_config(), default_server_config(), "other.test");
  EXPECT_FALSE(pump(*p2.client, *p2.server));
  auto f2 = outcome(p2);
  EXPECT_EQ(f2.client_sent, Alert::bad_certificate);
  EXPECT_EQ(f2.server_received, Alert::bad_certificate);

  // A client certificate from an unknown CA.
  auto sc = default_server_config();
  sc->client_auth = ClientAuth::require;
  sc->client_ca = test::verifier("ca.pem");
  auto wrong_client = default_client_config();
  wrong_client->credential = test::credential("server_wrong");
  auto p3 = make_handshake_pair(wrong_client, sc);
  EXPECT_FALSE(pump(*p3.client, *p3.server));
  EXPECT_EQ(outcome(p3).server_sent, Alert::unknown_ca);
}

TEST(HandshakeFailureTest, BadFinishedIsDecryptError) {
  for (Role liar : {Role::client, Role::server}) {
    auto pair = make_handshake_pair(default_client_config(), default_server_config());
    ConnectionTestPeer::corrupt_finished(liar == Role::client ? *pair.client : *pair.server);
    EXPECT_FALSE(pump(*pair.client, *pair.server));
    auto f = outcome(pair);
    if (liar == Role::client) {
      EXPECT_EQ(f.server_sent, Alert::decrypt_error);
      EXPECT_EQ(f.client_received, Alert::decrypt_error);
    } else {
      EXPECT_EQ(f.client_sent, Alert::decrypt_error);
    }
  }
}

TEST(HandshakeFailureTest, RequiredClientCertificateMissing) {
  auto sc = default_server_config();
  sc->client_auth = ClientAuth::require;
  sc->client_ca = test::verifier();
  auto pair = make_handshake_pair(default_client_config(), sc);
  EXPECT_FALSE(pump(*pair.client, *pair.server));
  EXPECT_EQ(outcome(pair).server_sent, Alert::handshake_failure);
}

TEST(HandshakeFailureTest, NothingInCommon) {
  auto cc = default_client_config();
  cc->cipher_suites = {CipherSuite::ecdhe_ecdsa_aes_128_gcm_sha256};
  auto sc = default_server_config();
  sc->credentials = {test::credential("server_rsa")};
  auto p1 = make_handshake_pair(cc, sc);
  EXPECT_FALSE(pump(*p1.client, *p1.server));
  EXPECT_EQ(outcome(p1).server_sent, Alert::handshake_failure);

  auto cc2 = default_client_config();
  cc2->alpn = {"h3"};
  auto sc2 = default_server_config();
  sc2->alpn = {"h2"};
  auto p2 = make_handshake_pair(cc2, sc2);
  EXPECT_FALSE(pump(*p2.client, *p2.server));
  EXPECT_EQ(outcome(p2).server_sent, Alert::no_application_protocol);

  auto cc3 = default_client_config();
  cc3->offer_extended_master_secret = false;
  auto sc3 = default_server_config();
  sc3->require_extended_master_secret = true;
  auto p3 = make_handshake_pair(cc3, sc3);
  EXPECT_FALSE(pump(*p3.client, *p3.server));
  EXPECT_EQ(outcome(p3).server_sent, Alert::handshake_failure);
}

// A server given a hand-made ClientHello body.
std::optional<Alert> server_answer(const Bytes& client_hello_body, uint16_t record_version = 0x0301) {
  auto server = Connection::server(default_server_config(), test::processor());
  EXPECT_TRUE(server.ok());
  Bytes msg = {1, static_cast<uint8_t>(client_hello_body.size() >> 16), static_cast<uint8_t>(client_hello_body.size() >> 8),
               static_cast<uint8_t>(client_hello_body.size())};
  msg.insert(msg.end(), client_hello_body.begin(), client_hello_body.end());
  (void)(*server)->receive(test::plaintext_record(22, msg, record_version));
  if ((*server)->state() == ConnectionState::handshaking) return std::nullopt;
  return test::sent_alert(**server);
}

Bytes hello_body(uint16_t version, std::vector<uint16_t> suites) {
  ClientHelloParams p;
  p.client_version = version;
  p.cipher_suites = suites;
  const std::vector<NamedGroup> groups = {NamedGroup::x25519};
  const std::vector<SignatureScheme> schemes = {SignatureScheme::rsa_pss_rsae_sha256};
  p.groups = groups;
  p.signature_schemes = schemes;
  Bytes msg;
  EXPECT_TRUE(encode_client_hello(p, msg).ok());
  return Bytes(msg.begin() + 4, msg.end());
}

TEST(HandshakeFailureTest, VersionsAndFallback) {
  EXPECT_EQ(server_answer(hello_body(0x0300, {0xc02f})), Alert::protocol_version);
  EXPECT_EQ(server_answer(hello_body(0x0301, {0xc02f})), Alert::protocol_version);
  EXPECT_EQ(server_answer(hello_body(0x0302, {0xc02f})), Alert::protocol_version);
  EXPECT_EQ(server_answer(hello_body(0x0302, {0xc02f, fallback_scsv})), Alert::inappropriate_fallback);
  // TLS 1.2 with the SCSV, or a newer client version: TLS 1.2 is negotiated.
  EXPECT_EQ(server_answer(hello_body(0x0303, {0xc02f, fallback_scsv})), std::nullopt);
  EXPECT_EQ(server_answer(hello_body(0x0304, {0xc02f})), std::nullopt);
  // A ClientHello carried in an SSL 2 or not-TLS record.
  EXPECT_EQ(server_answer(hello_body(0x0303, {0xc02f}), 0x0203), Alert::protocol_version);
}

TEST(HandshakeFailureTest, MalformedClientHellosGetDecodeAlerts) {
  Bytes dup = hello_body(0x0303, {0xc02f});
  // Append a second extended_master_secret... the builder wrote one already: duplicate it.
  Bytes with_dup = dup;
  const size_t ext_len_at = 2 + 32 + 1 + 2 + 2 + 2;
  with_dup.insert(with_dup.end(), {0, 23, 0, 0});
  const size_t ext_len = ((size_t{with_dup[ext_len_at]} << 8) | with_dup[ext_len_at + 1]) + 4;
  with_dup[ext_len_at] = static_cast<uint8_t>(ext_len >> 8);
  with_dup[ext_len_at + 1] = static_cast<uint8_t>(ext_len);
  EXPECT_EQ(server_answer(with_dup), Alert::illegal_parameter);
  Bytes trailing = dup;
  trailing.push_back(0);
  EXPECT_EQ(server_answer(trailing), Alert::decode_error);
  Bytes truncated(dup.begin(), dup.begin() + 20);
  EXPECT_EQ(server_answer(truncated), Alert::decode_error);
  Bytes no_null_compression = dup;
  no_null_compression[2 + 32 + 1 + 2 + 2 + 1] = 1;  // the only compression method: DEFLATE
  EXPECT_EQ(server_answer(no_null_compression), Alert::illegal_parameter);
}

TEST(HandshakeFailureTest, UnexpectedMessagesAndRecords) {
  // ChangeCipherSpec right after the ClientHello.
  {
    auto pair = make_handshake_pair(default_client_config(), default_server_config());
    Bytes wire = take_output(*pair.client);
    const uint8_t ccs[] = {1};
    const Bytes rec = test::plaintext_record(20, ccs);
    wire.insert(wire.end(), rec.begin(), rec.end());
    EXPECT_FALSE(pair.server->receive(wire).ok());
    EXPECT_EQ(test::sent_alert(*pair.server), Alert::unexpected_message);
  }
  // Application data during the handshake.
  {
    auto server = Connection::server(default_server_config(), test::processor());
    const uint8_t data[] = {1, 2, 3};
    EXPECT_FALSE((*server)->receive(test::plaintext_record(23, data)).ok());
    EXPECT_EQ(test::sent_alert(**server), Alert::unexpected_message);
  }
  // A second ClientHello where ClientKeyExchange is expected.
  {
    auto pair = make_handshake_pair(default_client_config(), default_server_config());
    Bytes hello = take_output(*pair.client);
    ASSERT_TRUE(pair.server->receive(hello).ok());
    EXPECT_FALSE(pair.server->receive(hello).ok());
    EXPECT_EQ(test::sent_alert(*pair.server), Alert::unexpected_message);
  }
  // A record longer than 2^14 bytes of plaintext.
  {
    auto server = Connection::server(default_server_config(), test::processor());
    const Bytes big(16385, 0);
    EXPECT_FALSE((*server)->receive(test::plaintext_record(22, big)).ok());
    EXPECT_EQ(test::sent_alert(**server), Alert::record_overflow);
  }
  // A handshake message announcing 1 MiB.
  {
    auto server = Connection::server(default_server_config(), test::processor());
    const uint8_t header[] = {1, 0x10, 0, 0};
    EXPECT_FALSE((*server)->receive(test::plaintext_record(22, header)).ok());
    EXPECT_EQ(test::sent_alert(**server), Alert::illegal_parameter);
  }
  // Unknown content type (heartbeat, 24).
  {
    auto server = Connection::server(default_server_config(), test::processor());
    const uint8_t hb[] = {1, 0, 0};
    EXPECT_FALSE((*server)->receive(test::plaintext_record(24, hb)).ok());
    EXPECT_EQ(test::sent_alert(**server), Alert::unexpected_message);
  }
  // An empty handshake record.
  {
    auto server = Connection::server(default_server_config(), test::processor());
    EXPECT_FALSE((*server)->receive(test::plaintext_record(22, {})).ok());
    EXPECT_EQ(test::sent_alert(**server), Alert::unexpected_message);
  }
}

TEST(HandshakeFailureTest, PeerAlertsEndTheHandshake) {
  auto pair = make_handshake_pair(default_client_config(), default_server_config());
  take_output(*pair.client);  // the ClientHello
  const uint8_t fatal[] = {2, 40};
  EXPECT_FALSE(pair.client->receive(test::plaintext_record(21, fatal)).ok());
  EXPECT_EQ(pair.client->state(), ConnectionState::failed);
  EXPECT_EQ(received_alert(*pair.client), Alert::handshake_failure);
  EXPECT_TRUE(pair.client->output().empty()) << "no alert in answer to an alert";

  auto server = Connection::server(default_server_config(), test::processor());
  const uint8_t warning[] = {1, 90};  // user_canceled
  for (int i = 0; i < 4; ++i) EXPECT_TRUE((*server)->receive(test::plaintext_record(21, warning)).ok());
  EXPECT_FALSE((*server)->receive(test::plaintext_record(21, warning)).ok()) << "at most 4 warnings";
  const uint8_t close[] = {1, 0};
  auto s2 = Connection::server(default_server_config(), test::processor());
  EXPECT_FALSE((*s2)->receive(test::plaintext_record(21, close)).ok());
  EXPECT_EQ((*s2)->state(), ConnectionState::closed);
}

TEST(HandshakeFailureTest, TamperedServerFlight) {
  auto run = [](HandshakeType type, const std::function<void(std::span<uint8_t>)>& mutate,
                std::shared_ptr<ClientConfig> cc = nullptr) {
    auto pair = make_handshake_pair(cc ? cc : default_client_config(), default_server_config());
    EXPECT_TRUE(pair.server->receive(take_output(*pair.client)).ok());
    Bytes flight = take_output(*pair.server);
    EXPECT_TRUE(test::mutate_message(flight, type, mutate));
    EXPECT_FALSE(pair.client->receive(flight).ok());
    return test::sent_alert(*pair.client);
  };
  // A suite the client did not offer (TLS_RSA_WITH_AES_128_CCM).
  EXPECT_EQ(run(HandshakeType::server_hello, [](std::span<uint8_t> b) { b[2 + 32 + 1] = 0xc0, b[2 + 32 + 2] = 0x9c; }),
            Alert::illegal_parameter);
  // Another protocol version.
  EXPECT_EQ(run(HandshakeType::server_hello, [](std::span<uint8_t> b) { b[1] = 0x02; }), Alert::protocol_version);
  // A signature that does not verify.
  EXPECT_EQ(run(HandshakeType::server_key_exchange, [](std::span<uint8_t> b) { b[b.size() - 1] ^= 1; }),
            Alert::decrypt_error);
  // Signed ECDH parameters changed (the group moves to one not offered).
  auto x25519_only = default_client_config();
  x25519_only->groups = {NamedGroup::x25519};
  EXPECT_EQ(run(HandshakeType::server_key_exchange, [](std::span<uint8_t> b) { b[2] = 23; }, x25519_only),
            Alert::illegal_parameter);
  // The server's public value changed: the signature no longer matches.
  EXPECT_EQ(run(HandshakeType::server_key_exchange, [](std::span<uint8_t> b) { b[5] ^= 0x40; }), Alert::decrypt_error);
  // A certificate that is not DER.
  EXPECT_EQ(run(HandshakeType::certificate, [](std::span<uint8_t> b) { b[6] ^= 0xff; }), Alert::bad_certificate);
}

TEST(HandshakeFailureTest, BadEcdhePointsAreIllegalParameter) {
  for (NamedGroup g : {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1}) {
    auto cc = default_client_config();
    cc->groups = {g};
    auto pair = make_handshake_pair(cc, default_server_config());
    ASSERT_TRUE(pair.server->receive(take_output(*pair.client)).ok());
    ASSERT_TRUE(pair.client->receive(take_output(*pair.server)).ok());
    Bytes flight = take_output(*pair.client);
    ASSERT_TRUE(test::mutate_message(flight, HandshakeType::client_key_exchange, [g](std::span<uint8_t> b) {
      if (g == NamedGroup::x25519) {
        std::fill(b.begin() + 1, b.end(), 0);  // a small-order point: all-zero shared secret
      } else {
        b[b.size() - 1] ^= 1;  // off the curve
      }
    }));
    EXPECT_FALSE(pair.server->receive(flight).ok());
    EXPECT_EQ(test::sent_alert(*pair.server), Alert::illegal_parameter) << named_group_name(g);
  }
}

TEST(HandshakeFailureTest, TamperedEncryptedFinishedIsBadRecordMac) {
  auto pair = make_handshake_pair(default_client_config(), default_server_config());
  ASSERT_TRUE(pair.server->receive(take_output(*pair.client)).ok());
  ASSERT_TRUE(pair.client->receive(take_output(*pair.server)).ok());
  Bytes flight = take_output(*pair.client);
  flight[flight.size() - 3] ^= 1;  // inside the last record: the encrypted Finished
  EXPECT_FALSE(pair.server->receive(flight).ok());
  EXPECT_EQ(test::sent_alert(*pair.server), Alert::bad_record_mac);
}

// RFC 5246 7.4.7.1: whatever is wrong with the RSA-encrypted premaster, the server goes on with a
// random one and the ClientKeyExchange is accepted; the peers then hold different keys, so the
// client's encrypted Finished fails to authenticate: the same alert, at the same record, for
// every kind of bad premaster.
TEST(HandshakeFailureTest, RsaKeyExchangeCountermeasure) {
  auto cc = default_client_config();
  cc->cipher_suites = {CipherSuite::rsa_aes_128_gcm_sha256};
  struct Outcome {
    std::optional<Alert> alert;
    std::string message;
    bool failed_at_client_key_exchange = false;
  };
  auto run = [&](const std::function<void(std::span<uint8_t>)>& mutate) {
    auto pair = make_handshake_pair(cc, default_server_config());
    EXPECT_TRUE(pair.server->receive(take_output(*pair.client)).ok());
    EXPECT_TRUE(pair.client->receive(take_output(*pair.server)).ok());
    Bytes flight = take_output(*pair.client);
    if (mutate) {
      EXPECT_TRUE(test::mutate_message(flight, HandshakeType::client_key_exchange, mutate));
    }
    // Feed the ClientKeyExchange record alone first: it must be accepted whatever it holds.
    const size_t first_len = 5 + ((size_t{flight[3]} << 8) | flight[4]);
    Outcome o;
    o.failed_at_client_key_exchange = !pair.server->receive({flight.data(), first_len}).ok();
    (void)pair.server->receive({flight.data() + first_len, flight.size() - first_len});
    o.alert = test::sent_alert(*pair.server);
    if (pair.server->error()) o.message = pair.server->error()->message;
    return o;
  };
  const Outcome good = run(nullptr);
  EXPECT_FALSE(good.alert.has_value()) << "control: the untouched handshake succeeds";

  // Padding broken (ciphertext changed), a ciphertext that is no RSA value (>= the modulus), and
  // a well-formed premaster with the wrong client_version.
  const Outcome bad_padding = run([](std::span<uint8_t> b) { b[10] ^= 0x55; });
  const Outcome out_of_range = run([](std::span<uint8_t> b) { std::fill(b.begin() + 2, b.end(), 0xff); });
  auto server_key = test::credential("server_rsa");
  const Outcome bad_version = run([&](std::span<uint8_t> b) {
    auto enc = rsa_encrypt_premaster(server_key->private_key(), 0x0302);  // encrypts to the public half
    ASSERT_TRUE(enc.ok());
    ASSERT_EQ(enc->encrypted.size(), b.size() - 2);
    std::copy(enc->encrypted.begin(), enc->encrypted.end(), b.begin() + 2);
  });
  for (const Outcome* o : {&bad_padding, &out_of_range, &bad_version}) {
    EXPECT_FALSE(o->failed_at_client_key_exchange);
    EXPECT_EQ(o->alert, Alert::bad_record_mac);
    EXPECT_EQ(o->message, bad_padding.message);
  }
}

TEST(HandshakeFailureTest, KeysOnlyOnceAndOnlyWhenEstablished) {
  auto pair = make_handshake_pair(default_client_config(), default_server_config());
  EXPECT_FALSE(pair.client->take_keys().ok());
  ASSERT_TRUE(pump(*pair.client, *pair.server));
  EXPECT_TRUE(pair.client->take_keys().ok());
  EXPECT_FALSE(pair.client->take_keys().ok());
  EXPECT_FALSE(pair.client->receive(Bytes{1}).ok()) << "the handshake is over";
}

}  // namespace
}  // namespace tlsburst::handshake
