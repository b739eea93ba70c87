#include "handshake/tls12/config.hpp"

namespace tlsburst::handshake {

std::vector<NamedGroup> default_groups() {
  return {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1};
}

std::vector<SignatureScheme> default_signature_schemes() {
  return {
      SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
      SignatureScheme::ecdsa_secp521r1_sha512, SignatureScheme::rsa_pss_rsae_sha256,
      SignatureScheme::rsa_pss_rsae_sha384,    SignatureScheme::rsa_pss_rsae_sha512,
      SignatureScheme::rsa_pkcs1_sha256,       SignatureScheme::rsa_pkcs1_sha384,
      SignatureScheme::rsa_pkcs1_sha512,
  };
}

Status ServerConfig::validate() const {
  if (credentials.empty()) return make_error(Alert::internal_error, "server config: no certificate");
  bool have_rsa = false, have_ecdsa = false;
  for (const auto& c : credentials) {
    if (!c) return make_error(Alert::internal_error, "server config: null credential");
    bool& have = c->key_type() == KeyType::rsa ? have_rsa : have_ecdsa;
    if (have) return make_error(Alert::internal_error, "server config: two credentials of one key type");
    have = true;
  }
  if (cipher_suites.empty()) return make_error(Alert::internal_error, "server config: no cipher suite");
  if (groups.empty()) return make_error(Alert::internal_error, "server config: no group");
  if (signature_schemes.empty()) return make_error(Alert::internal_error, "server config: no signature scheme");
  if (client_auth != ClientAuth::none && !client_ca) {
    return make_error(Alert::internal_error, "server config: client authentication needs a CA");
  }
  for (const std::string& p : alpn) {
    if (p.empty() || p.size() > 255) return make_error(Alert::internal_error, "server config: bad ALPN name");
  }
  return Status::success();
}

Status ClientConfig::validate() const {
  if (cipher_suites.empty()) return make_error(Alert::internal_error, "client config: no cipher suite");
  if (signature_schemes.empty()) return make_error(Alert::internal_error, "client config: no signature scheme");
  if (verify_peer && !trust) return make_error(Alert::internal_error, "client config: verify_peer without trust anchors");
  for (const std::string& p : alpn) {
    if (p.empty() || p.size() > 255) return make_error(Alert::internal_error, "client config: bad ALPN name");
  }
  return Status::success();
}

}  // namespace tlsburst::handshake
