// Verification of a peer's certificate chain against trusted CAs (X.509 path validation by
// libcrypto), for a server (with host name check) or a client certificate.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"
#include "handshake/crypto/openssl_ptr.hpp"

namespace tlsburst::handshake {

enum class PeerPurpose : uint8_t { server, client };

class CertificateVerifier {
 public:
  static Result<std::shared_ptr<const CertificateVerifier>> from_ca_file(const std::string& ca_pem_path);
  static Result<std::shared_ptr<const CertificateVerifier>> from_ca_pem(std::string_view ca_pem);

  // Verifies `chain` (DER, leaf first) for `purpose`; a non-empty `host_name` must match the
  // leaf (subjectAltName, or the common name when there is none). Returns the leaf's public key.
  // The alert follows the failure: unknown_ca, certificate_expired, bad_certificate, ...
  Result<EvpPkeyPtr> verify(std::span<const std::span<const uint8_t>> chain, PeerPurpose purpose,
                            std::string_view host_name) const;

  // The leaf's public key without any verification (a client configured not to verify).
  static Result<EvpPkeyPtr> leaf_public_key(std::span<const uint8_t> leaf_der);

  // DER-encoded subject names of the trusted CAs (CertificateRequest certificate_authorities).
  const std::vector<std::vector<uint8_t>>& ca_names() const noexcept { return _ca_names; }

 private:
  CertificateVerifier() = default;
  X509StorePtr _store;
  std::vector<std::vector<uint8_t>> _ca_names;
};

// The TLS alert for an X509_V_ERR_* code.
Alert alert_for_verify_error(int x509_error);

}  // namespace tlsburst::handshake
