#include "bench/handshake/ours.hpp"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "engine/record/record_processor.hpp"
#include "handshake/tls12/connection.hpp"

namespace tlsburst::handshake::bench {

namespace {

void die(const std::string& what) {
  std::fprintf(stderr, "ours: %s\n", what.c_str());
  std::exit(1);
}

void move_bytes(Connection& from, Connection& to, ServerTimer* timer) {
  if (from.output().empty()) return;
  const std::vector<uint8_t> bytes(from.output().begin(), from.output().end());
  from.consume_output(bytes.size());
  Status s = timer ? timer->time([&] { return to.receive(bytes); }) : to.receive(bytes);
  if (!s) die(s.error().message);
}

}  // namespace

Rate run_ours(const BenchCase& c, double seconds) {
  auto processor = record::RecordProcessor::create();
  if (!processor) die(processor.error().message);
  auto credential = Credential::load_pem_files(pki_path(c.credential + ".pem"), pki_path(c.credential + ".key"));
  if (!credential) die(credential.error().message);
  auto server_config = std::make_shared<ServerConfig>();
  server_config->credentials = {*credential};
  server_config->cipher_suites = {c.suite};
  server_config->groups = {NamedGroup::x25519};
  server_config->signature_schemes = {c.scheme};
  auto client_config = std::make_shared<ClientConfig>();
  client_config->cipher_suites = {c.suite};
  client_config->groups = {NamedGroup::x25519, NamedGroup::secp256r1};  // P-256: the ECDSA certificate's curve
  client_config->verify_peer = false;  // the client's cost is not measured; keep it cheap

  ServerTimer timer;
  Rate rate;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline || rate.count < 10) {
    auto server = timer.time([&] { return Connection::server(server_config, *processor); });
    if (!server) die(server.error().message);
    auto client = Connection::client(client_config, *processor, "localhost");
    if (!client) die(client.error().message);
    Connection& s = **server;
    Connection& cl = **client;
    move_bytes(cl, s, &timer);   // ClientHello -> ServerHello..ServerHelloDone
    move_bytes(s, cl, nullptr);  // client: verify, ClientKeyExchange, CCS, Finished
    move_bytes(cl, s, &timer);   // server: derive, check Finished, CCS, Finished
    move_bytes(s, cl, nullptr);
    if (s.state() != ConnectionState::established || cl.state() != ConnectionState::established) die("not established");
    auto keys = timer.time([&] { return s.take_keys(); });  // the hand-off to the data plane
    if (!keys) die(keys.error().message);
    timer.time([&] { server->reset(); });
    ++rate.count;
  }
  rate.per_second = static_cast<double>(rate.count) / timer.seconds();
  return rate;
}

}  // namespace tlsburst::handshake::bench
