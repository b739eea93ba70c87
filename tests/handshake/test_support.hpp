// Shared helpers of the handshake tests: hex, vector files, the generated test PKI, a record
// processor per thread, and an in-memory pump between a client and a server connection.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/record/record_processor.hpp"
#include "handshake/crypto/certificate_verifier.hpp"
#include "handshake/crypto/credential.hpp"
#include "handshake/tls12/connection.hpp"

namespace tlsburst::handshake::test {

std::vector<uint8_t> from_hex(std::string_view hex);
std::string to_hex(std::span<const uint8_t> bytes);

// A vector file: blocks of `key = value` lines separated by blank lines; `#` starts a comment.
using VectorBlock = std::map<std::string, std::string>;
std::vector<VectorBlock> read_vector_file(const std::string& name);  // name inside vectors/

// Certificates from make_test_pki.sh, generated once per process into a temp directory.
const std::string& pki_dir();
std::string pki_path(const std::string& file);
// `name`.pem (chain) + `name`.key
std::shared_ptr<const Credential> credential(const std::string& name);
std::shared_ptr<const CertificateVerifier> verifier(const std::string& ca_file = "ca.pem");

// One record processor per test thread.
record::RecordProcessor& processor();

// Moves bytes between the two connections until neither has output left, both are done, or
// `max_rounds` passes. `chunk` > 0 feeds the peer at most that many bytes per receive() call.
// Returns false if either side failed.
bool pump(Connection& client, Connection& server, size_t chunk = 0, size_t max_rounds = 64);

struct HandshakePair {
  std::unique_ptr<Connection> client;
  std::unique_ptr<Connection> server;
};
HandshakePair make_handshake_pair(std::shared_ptr<const ClientConfig> client_config,
                        std::shared_ptr<const ServerConfig> server_config, const std::string& server_name = "localhost");

// Configs with the usual test PKI (both server certificates, the root CA as trust anchor).
std::shared_ptr<ServerConfig> default_server_config();
std::shared_ptr<ClientConfig> default_client_config();

// The events of a connection, drained.
std::vector<Event> drain_events(Connection& c);
// The alert a connection sent (alert_sent event), if any.
std::optional<Alert> sent_alert(Connection& c);

}  // namespace tlsburst::handshake::test

namespace tlsburst::handshake::test {

// Finds handshake message `type` in the plaintext records of `wire` and lets `mutate` change its
// body in place (lengths unchanged). Returns false when the message is not there.
bool mutate_message(std::vector<uint8_t>& wire, HandshakeType type,
                    const std::function<void(std::span<uint8_t> body)>& mutate);

// Wire bytes of plaintext records carrying `content` of `type`.
std::vector<uint8_t> plaintext_record(uint8_t type, std::span<const uint8_t> content, uint16_t version = 0x0303);

}  // namespace tlsburst::handshake::test
