#include "handshake/tls12/negotiation.hpp"

namespace tlsburst::handshake {

std::optional<SignatureScheme> choose_signature_scheme(std::span<const SignatureScheme> ours,
                                                       const std::optional<U16List>& peer,
                                                       const Credential& credential) {
  if (!peer) return std::nullopt;
  for (SignatureScheme s : ours) {
    if (peer->contains(static_cast<uint16_t>(s)) && credential.supports(s)) return s;
  }
  return std::nullopt;
}

std::optional<NamedGroup> choose_group(std::span<const NamedGroup> ours, const std::optional<U16List>& peer) {
  for (NamedGroup g : ours) {
    if (!peer || peer->contains(static_cast<uint16_t>(g))) return g;
  }
  return std::nullopt;
}

namespace {

std::shared_ptr<const Credential> credential_of(const ServerConfig& config, KeyType type) {
  for (const auto& c : config.credentials) {
    if (c->key_type() == type) return c;
  }
  return nullptr;
}

// A suite works when we have its certificate type, and for ECDHE a group and signature scheme
// the client accepts; an ECDSA certificate's curve must be one the client supports (RFC 8422 5.1).
std::optional<ServerChoice> try_suite(const ServerConfig& config, const ClientHello& hello, const CipherSuiteInfo& info) {
  ServerChoice c;
  c.suite = &info;
  c.credential = credential_of(config, info.authentication);
  if (!c.credential) return std::nullopt;
  const auto& groups = hello.ext.supported_groups;
  if (c.credential->curve() && groups && !groups->contains(static_cast<uint16_t>(*c.credential->curve()))) {
    return std::nullopt;
  }
  if (info.key_exchange == KeyExchange::ecdhe) {
    c.group = choose_group(config.groups, groups);
    c.signature_scheme = choose_signature_scheme(config.signature_schemes, hello.ext.signature_algorithms, *c.credential);
    if (!c.group || !c.signature_scheme) return std::nullopt;
  }
  return c;
}

}  // namespace

Result<ServerChoice> choose_server_parameters(const ServerConfig& config, const ClientHello& hello) {
  if (config.honor_client_order) {
    for (size_t i = 0; i < hello.cipher_suites.size(); ++i) {
      const uint16_t wire = hello.cipher_suites[i];
      for (CipherSuite ours : config.cipher_suites) {
        if (static_cast<uint16_t>(ours) != wire) continue;
        if (auto c = try_suite(config, hello, cipher_suite_info(ours))) return *c;
      }
    }
  } else {
    for (CipherSuite ours : config.cipher_suites) {
      if (!hello.cipher_suites.contains(static_cast<uint16_t>(ours))) continue;
      if (auto c = try_suite(config, hello, cipher_suite_info(ours))) return *c;
    }
  }
  return make_error(Alert::handshake_failure, "no cipher suite in common");
}

}  // namespace tlsburst::handshake
