// What a completed handshake negotiated, and the keys it hands to the data plane.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/record/direction_keys.hpp"
#include "handshake/crypto/key_schedule.hpp"
#include "handshake/crypto/named_group.hpp"
#include "handshake/crypto/signature_scheme.hpp"
#include "handshake/tls12/cipher_suite.hpp"

namespace tlsburst::handshake {

struct SessionInfo {
  CipherSuite cipher_suite = CipherSuite::ecdhe_rsa_aes_128_gcm_sha256;
  std::optional<NamedGroup> group;                  // ECDHE suites
  std::optional<SignatureScheme> signature_scheme;  // of ServerKeyExchange
  bool extended_master_secret = false;
  bool encrypt_then_mac = false;
  bool secure_renegotiation = false;  // the peer signalled RFC 5746
  bool session_ticket_acknowledged = false;  // client: the server will send a NewSessionTicket
  bool peer_authenticated = false;    // client: server chain verified; server: client certificate verified
  std::string server_name;            // SNI sent (client) or received (server)
  std::string alpn;                   // negotiated protocol, empty if none
  Random client_random{};
  Random server_random{};
};

// Both directions of an established session, from this endpoint's point of view. initial_seq
// is the sequence number of the next record (1 after Finished, normally).
struct EstablishedKeys {
  record::DirectionKeys tx;
  record::DirectionKeys rx;
};

}  // namespace tlsburst::handshake
