// Randomized mutation of real handshake messages fed to every parser and to live connections:
// nothing may crash (run under ASan/UBSan), and every rejection carries a protocol alert.
// TLSBURST_TEST_SEED fixes the seed (printed on failure); TLSBURST_FUZZ_ITERATIONS scales the run.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>

#include "handshake/extensions/alpn.hpp"
#include "handshake/extensions/ec_point_formats.hpp"
#include "handshake/extensions/renegotiation_info.hpp"
#include "handshake/extensions/server_name.hpp"
#include "handshake/extensions/u16_list_extension.hpp"
#include "handshake/messages/certificate.hpp"
#include "handshake/messages/certificate_request.hpp"
#include "handshake/messages/certificate_verify.hpp"
#include "handshake/messages/client_hello.hpp"
#include "handshake/messages/client_key_exchange.hpp"
#include "handshake/messages/finished.hpp"
#include "handshake/messages/new_session_ticket.hpp"
#include "handshake/messages/server_hello.hpp"
#include "handshake/messages/server_hello_done.hpp"
#include "handshake/messages/server_key_exchange.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {
namespace {

using Bytes = std::vector<uint8_t>;

uint64_t test_seed() {
  if (const char* s = std::getenv("TLSBURST_TEST_SEED")) return std::strtoull(s, nullptr, 10);
  return std::random_device{}();
}

size_t iterations(size_t base) {
  if (const char* s = std::getenv("TLSBURST_FUZZ_ITERATIONS")) return std::strtoull(s, nullptr, 10);
  return base;
}

struct Message {
  HandshakeType type;
  Bytes body;
};

// The plaintext handshake messages of `wire` (records of type 22 before any encryption).
std::vector<Message> split_messages(const Bytes& wire) {
  Bytes hs;
  size_t at = 0;
  while (at + 5 <= wire.size()) {
    const size_t len = (size_t{wire[at + 3]} << 8) | wire[at + 4];
    if (wire[at] == 20) break;  // ChangeCipherSpec: what follows is encrypted
    if (wire[at] == 22) hs.insert(hs.end(), wire.begin() + static_cast<std::ptrdiff_t>(at + 5),
                                  wire.begin() + static_cast<std::ptrdiff_t>(at + 5 + len));
    at += 5 + len;
  }
  std::vector<Message> out;
  size_t m = 0;
  while (m + 4 <= hs.size()) {
    const size_t len = (size_t{hs[m + 1]} << 16) | (size_t{hs[m + 2]} << 8) | hs[m + 3];
    out.push_back({static_cast<HandshakeType>(hs[m]), Bytes(hs.begin() + static_cast<std::ptrdiff_t>(m + 4),
                                                              hs.begin() + static_cast<std::ptrdiff_t>(m + 4 + len))});
    m += 4 + len;
  }
  return out;
}

Bytes take(Connection& c) {
  Bytes b(c.output().begin(), c.output().end());
  c.consume_output(b.size());
  return b;
}

// The wire of one full handshake with client authentication, per direction.
struct Corpus {
  Bytes client_hello, server_flight, client_flight;
  std::vector<Message> messages;
};

Corpus make_corpus(CipherSuite suite) {
  auto sc = test::default_server_config();
  sc->client_auth = ClientAuth::require;
  sc->client_ca = test::verifier();
  sc->alpn = {"h2"};
  auto cc = test::default_client_config();
  cc->cipher_suites = {suite};
  cc->credential = test::credential("client_ecdsa");
  cc->alpn = {"h2", "http/1.1"};
  cc->offer_session_ticket = true;
  auto pair = test::make_handshake_pair(cc, sc);
  Corpus c;
  c.client_hello = take(*pair.client);
  EXPECT_TRUE(pair.server->receive(c.client_hello).ok());
  c.server_flight = take(*pair.server);
  EXPECT_TRUE(pair.client->receive(c.server_flight).ok());
  c.client_flight = take(*pair.client);
  for (const Bytes* w : {&c.client_hello, &c.server_flight, &c.client_flight}) {
    for (Message& m : split_messages(*w)) c.messages.push_back(std::move(m));
  }
  return c;
}

void mutate(Bytes& b, std::mt19937_64& rng) {
  const int kind = static_cast<int>(rng() % 6);
  const auto pos = [&] { return b.empty() ? size_t{0} : static_cast<size_t>(rng() % b.size()); };
  switch (kind) {
    case 0:  // flip bits
      if (!b.empty()) b[pos()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      break;
    case 1:  // random byte
      if (!b.empty()) b[pos()] = static_cast<uint8_t>(rng());
      break;
    case 2:  // truncate
      b.resize(pos());
      break;
    case 3:  // insert bytes
      b.insert(b.begin() + static_cast<std::ptrdiff_t>(pos()), 1 + rng() % 4, static_cast<uint8_t>(rng()));
      break;
    case 4:  // delete a range
      if (!b.empty()) {
        const size_t at = pos();
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(at),
                b.begin() + static_cast<std::ptrdiff_t>(std::min(b.size(), at + 1 + rng() % 8)));
      }
      break;
    default:  // plausible length values: 0, 0xff, 0xffff
      if (b.size() >= 2) {
        const size_t at = pos() & ~size_t{1};
        const uint8_t v = (rng() & 1) ? 0xff : 0x00;
        b[at] = v;
        if (at + 1 < b.size()) b[at + 1] = v;
      }
      break;
  }
}

const std::set<Alert> parse_alerts = {Alert::decode_error, Alert::illegal_parameter, Alert::unsupported_extension};

template <class R>
void check(const R& r, uint64_t seed) {
  if (!r.ok()) {
    EXPECT_TRUE(parse_alerts.count(r.error().alert)) << "seed " << seed << ": " << alert_name(r.error().alert) << " "
                                                     << r.error().message;
  }
}

// Runs every decoder on `b`.
void decode_everything(const Bytes& b, uint64_t seed) {
  OfferedExtensions all;
  all.server_name = all.ec_point_formats = all.alpn = all.renegotiation_info = all.extended_master_secret =
      all.encrypt_then_mac = all.session_ticket = true;
  check(decode_client_hello(b), seed);
  check(decode_server_hello(b, all), seed);
  check(decode_server_hello(b, OfferedExtensions{}), seed);
  check(decode_certificate(b), seed);
  check(decode_server_key_exchange(b), seed);
  check(decode_certificate_request(b), seed);
  check(decode_client_key_exchange(b, KeyExchange::ecdhe), seed);
  check(decode_client_key_exchange(b, KeyExchange::rsa), seed);
  check(decode_certificate_verify(b), seed);
  check(decode_finished(b), seed);
  check(decode_new_session_ticket(b), seed);
  Status done = decode_server_hello_done(b);
  if (!done.ok()) {
    EXPECT_EQ(done.error().alert, Alert::decode_error);
  }
  check(decode_server_name(b), seed);
  check(decode_u16_list_extension(b, "x"), seed);
  Status pf = decode_ec_point_formats(b);
  if (!pf.ok()) {
    EXPECT_TRUE(parse_alerts.count(pf.error().alert));
  }
  check(decode_alpn(b), seed);
  check(decode_alpn_selected(b), seed);
  check(decode_renegotiation_info(b), seed);
  check(ExtensionBlock::decode(Reader(b)), seed);
}

TEST(FuzzTest, ParsersSurviveMutatedMessages) {
  const uint64_t seed = test_seed();
  SCOPED_TRACE("TLSBURST_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::vector<Message> seeds;
  for (CipherSuite s : {CipherSuite::ecdhe_ecdsa_aes_128_gcm_sha256, CipherSuite::rsa_aes_256_gcm_sha384}) {
    auto c = make_corpus(s);
    seeds.insert(seeds.end(), c.messages.begin(), c.messages.end());
  }
  ASSERT_GE(seeds.size(), 12u);
  const size_t n = iterations(20000);
  for (size_t i = 0; i < n; ++i) {
    Bytes b = seeds[rng() % seeds.size()].body;
    const int rounds = 1 + static_cast<int>(rng() % 4);
    for (int r = 0; r < rounds; ++r) mutate(b, rng);
    decode_everything(b, seed);
    if (HasFailure()) return;
  }
  // Pure noise too.
  for (size_t i = 0; i < n / 10; ++i) {
    Bytes b(rng() % 300);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    decode_everything(b, seed);
  }
}

// Mutated wire bytes (records included) against live connections: the server given a mutated
// ClientHello, the client a mutated server flight, the server a mutated client flight.
TEST(FuzzTest, ConnectionsSurviveMutatedFlights) {
  const uint64_t seed = test_seed();
  SCOPED_TRACE("TLSBURST_TEST_SEED=" + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const Corpus corpus = make_corpus(CipherSuite::ecdhe_rsa_aes_128_gcm_sha256);
  auto sc = test::default_server_config();
  sc->client_auth = ClientAuth::request;
  sc->client_ca = test::verifier();
  auto cc = test::default_client_config();
  cc->credential = test::credential("client_ecdsa");
  const size_t n = iterations(20000) / 10;
  size_t num_failed = 0;
  for (size_t i = 0; i < n; ++i) {
    const int which = static_cast<int>(i % 3);
    auto pair = test::make_handshake_pair(cc, sc);
    Bytes hello = take(*pair.client);
    Status result;
    if (which == 0) {
      for (int r = 0; r < 1 + static_cast<int>(rng() % 3); ++r) mutate(hello, rng);
      result = pair.server->receive(hello);
    } else {
      ASSERT_TRUE(pair.server->receive(hello).ok());
      Bytes flight = take(*pair.server);
      if (which == 1) {
        for (int r = 0; r < 1 + static_cast<int>(rng() % 3); ++r) mutate(flight, rng);
        result = pair.client->receive(flight);
      } else {
        ASSERT_TRUE(pair.client->receive(flight).ok());
        Bytes second = take(*pair.client);
        for (int r = 0; r < 1 + static_cast<int>(rng() % 3); ++r) mutate(second, rng);
        result = pair.server->receive(second);
      }
    }
    Connection& target = which == 1 ? *pair.client : *pair.server;
    if (!result.ok()) {
      ++num_failed;
      EXPECT_EQ(target.state(), ConnectionState::failed) << "seed " << seed;
      EXPECT_TRUE(test::sent_alert(target).has_value()) << "a failure always sends an alert";
      EXPECT_FALSE(target.output().empty()) << "the alert is on the wire";
    }
    if (HasFailure()) return;
  }
  // Truncations and some length changes only make a connection wait for more bytes (about half of
  // the runs); the rest must have been caught.
  EXPECT_GT(num_failed, n / 4) << "mutations should be caught";
}

}  // namespace
}  // namespace tlsburst::handshake
