#include "tests/handshake/test_support.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace tlsburst::handshake::test {

std::vector<uint8_t> from_hex(std::string_view hex) {
  std::vector<uint8_t> out;
  int high = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else continue;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s.push_back(digits[b >> 4]);
    s.push_back(digits[b & 15]);
  }
  return s;
}

std::vector<VectorBlock> read_vector_file(const std::string& name) {
  const std::string path = std::string(TLSBURST_HANDSHAKE_TEST_DIR) + "/vectors/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<VectorBlock> blocks;
  VectorBlock current;
  std::string line;
  auto trim = [](std::string s) {
    const auto b = s.find_first_not_of(" \t\r");
    const auto e = s.find_last_not_of(" \t\r");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) {
      if (!current.empty()) blocks.push_back(std::move(current));
      current.clear();
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    current[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  if (!current.empty()) blocks.push_back(std::move(current));
  return blocks;
}

const std::string& pki_dir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/tlsburst-hs-pki-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (d == nullptr) std::abort();
    const std::string cmd = std::string(TLSBURST_HANDSHAKE_TEST_DIR) + "/make_test_pki.sh " + d + " > /dev/null";
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "make_test_pki.sh failed\n");
      std::abort();
    }
    std::string result(d);
    // Removed at exit: the keys are throw-away, but do not leave them around.
    static const std::string to_remove = result;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(to_remove, ec);
    });
    return result;
  }();
  return dir;
}

std::string pki_path(const std::string& file) { return pki_dir() + "/" + file; }

std::shared_ptr<const Credential> credential(const std::string& name) {
  auto c = Credential::load_pem_files(pki_path(name + ".pem"), pki_path(name + ".key"));
  if (!c) {
    ADD_FAILURE() << "credential " << name << ": " << c.error().message;
    return nullptr;
  }
  return *c;
}

std::shared_ptr<const CertificateVerifier> verifier(const std::string& ca_file) {
  auto v = CertificateVerifier::from_ca_file(pki_path(ca_file));
  if (!v) {
    ADD_FAILURE() << "verifier " << ca_file << ": " << v.error().message;
    return nullptr;
  }
  return *v;
}

record::RecordProcessor& processor() {
  thread_local std::unique_ptr<record::RecordProcessor> p = [] {
    auto r = record::RecordProcessor::create();
    if (!r) std::abort();
    return std::make_unique<record::RecordProcessor>(std::move(r).value());
  }();
  return *p;
}

namespace {

// Moves `from`'s output to `to`; returns the number of bytes moved.
size_t transfer(Connection& from, Connection& to, size_t chunk) {
  size_t moved = 0;
  while (!from.output().empty() && to.state() == ConnectionState::handshaking) {
    const auto out = from.output();
    const size_t n = chunk == 0 ? out.size() : std::min(chunk, out.size());
    const std::vector<uint8_t> bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
    from.consume_output(n);
    moved += n;
    (void)to.receive(bytes);
  }
  return moved;
}

}  // namespace

bool pump(Connection& client, Connection& server, size_t chunk, size_t max_rounds) {
  for (size_t round = 0; round < max_rounds; ++round) {
    const size_t moved = transfer(client, server, chunk) + transfer(server, client, chunk);
    const bool done = client.state() != ConnectionState::handshaking && server.state() != ConnectionState::handshaking;
    if (moved == 0 || done) break;
  }
  return client.state() != ConnectionState::failed && server.state() != ConnectionState::failed &&
         client.state() != ConnectionState::closed && server.state() != ConnectionState::closed;
}

HandshakePair make_handshake_pair(std::shared_ptr<const ClientConfig> client_config,
                        std::shared_ptr<const ServerConfig> server_config, const std::string& server_name) {
  HandshakePair p;
  auto server = Connection::server(std::move(server_config), processor());
  EXPECT_TRUE(server.ok()) << (server.ok() ? "" : server.error().message);
  if (server.ok()) p.server = std::move(server).value();
  auto client = Connection::client(std::move(client_config), processor(), server_name);
  EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
  if (client.ok()) p.client = std::move(client).value();
  return p;
}

std::shared_ptr<ServerConfig> default_server_config() {
  auto c = std::make_shared<ServerConfig>();
  c->credentials = {credential("server_rsa"), credential("server_ecdsa")};
  return c;
}

std::shared_ptr<ClientConfig> default_client_config() {
  auto c = std::make_shared<ClientConfig>();
  c->trust = verifier("ca.pem");
  return c;
}

std::vector<Event> drain_events(Connection& c) {
  std::vector<Event> events;
  while (auto e = c.poll_event()) events.push_back(std::move(*e));
  return events;
}

std::optional<Alert> sent_alert(Connection& c) {
  for (const Event& e : drain_events(c)) {
    if (e.kind == EventKind::alert_sent) return e.alert;
  }
  return std::nullopt;
}

}  // namespace tlsburst::handshake::test

namespace tlsburst::handshake::test {

bool mutate_message(std::vector<uint8_t>& wire, HandshakeType type,
                    const std::function<void(std::span<uint8_t> body)>& mutate) {
  size_t at = 0;
  while (at + 5 <= wire.size()) {
    const size_t len = (size_t{wire[at + 3]} << 8) | wire[at + 4];
    if (wire[at] == 22) {
      size_t m = at + 5;
      while (m + 4 <= at + 5 + len) {
        const size_t body_len = (size_t{wire[m + 1]} << 16) | (size_t{wire[m + 2]} << 8) | wire[m + 3];
        if (wire[m] == static_cast<uint8_t>(type) && m + 4 + body_len <= at + 5 + len) {
          mutate({wire.data() + m + 4, body_len});
          return true;
        }
        m += 4 + body_len;
      }
    }
    at += 5 + len;
  }
  return false;
}

std::vector<uint8_t> plaintext_record(uint8_t type, std::span<const uint8_t> content, uint16_t version) {
  std::vector<uint8_t> r(5 + content.size());
  r[0] = type;
  r[1] = static_cast<uint8_t>(version >> 8);
  r[2] = static_cast<uint8_t>(version);
  r[3] = static_cast<uint8_t>(content.size() >> 8);
  r[4] = static_cast<uint8_t>(content.size());
  std::copy(content.begin(), content.end(), r.begin() + 5);
  return r;
}

}  // namespace tlsburst::handshake::test
