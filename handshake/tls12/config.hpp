// Configuration of TLS 1.2 servers and clients: shared, immutable once handshakes use it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/crypto/certificate_verifier.hpp"
#include "handshake/crypto/credential.hpp"
#include "handshake/crypto/named_group.hpp"
#include "handshake/crypto/signature_scheme.hpp"
#include "handshake/keylog.hpp"
#include "handshake/record_channel.hpp"
#include "handshake/tls12/cipher_suite.hpp"

namespace tlsburst::handshake {

enum class ClientAuth : uint8_t { none, request, require };

std::vector<NamedGroup> default_groups();                 // X25519, P-256, P-384
std::vector<SignatureScheme> default_signature_schemes();  // ECDSA, PSS, PKCS#1; SHA-256 first

struct ServerConfig {
  // Certificates to present: at most one per key type (RSA, ECDSA); a suite is only chosen when
  // a credential of its authentication type exists.
  std::vector<std::shared_ptr<const Credential>> credentials;
  // Preference order (server preference unless honor_client_order).
  std::vector<CipherSuite> cipher_suites = [] {
    const auto d = default_cipher_suite_order();
    return std::vector<CipherSuite>(d.begin(), d.end());
  }();
  bool honor_client_order = false;
  std::vector<NamedGroup> groups = default_groups();
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  // ALPN protocols in preference order; empty: ALPN is not negotiated. When the client offers
  // ALPN and none matches, the handshake fails with no_application_protocol.
  std::vector<std::string> alpn;
  // Host names this server answers (server_name); empty: any name, not acknowledged. When set,
  // a client naming another host gets unrecognized_name.
  std::vector<std::string> server_names;
  ClientAuth client_auth = ClientAuth::none;
  std::shared_ptr<const CertificateVerifier> client_ca;  // required with client_auth
  bool require_extended_master_secret = false;
  bool encrypt_then_mac = true;  // accept RFC 7366 for CBC suites
  std::shared_ptr<KeyLog> key_log;
  RecordChannelOptions record_options;

  // internal_error describing the first inconsistency (no credential, client_auth without CA...).
  Status validate() const;
};

struct ClientConfig {
  std::vector<CipherSuite> cipher_suites = [] {
    const auto d = default_cipher_suite_order();
    return std::vector<CipherSuite>(d.begin(), d.end());
  }();
  std::vector<NamedGroup> groups = default_groups();
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  std::vector<std::string> alpn;
  // Trust anchors for the server's chain; verify_peer false skips path validation (tests).
  std::shared_ptr<const CertificateVerifier> trust;
  bool verify_peer = true;
  // Certificate to answer a CertificateRequest with (optional).
  std::shared_ptr<const Credential> credential;
  bool offer_extended_master_secret = true;
  bool require_extended_master_secret = false;
  bool offer_encrypt_then_mac = true;
  bool offer_session_ticket = false;  // resumption is not implemented; the extension is only sent
  bool require_secure_renegotiation = true;
  std::shared_ptr<KeyLog> key_log;
  RecordChannelOptions record_options;

  Status validate() const;
};

}  // namespace tlsburst::handshake
