// The server's choices from a ClientHello: cipher suite, certificate, ECDHE group and
// signature scheme (pure functions of the configuration and the hello).
#pragma once

#include <memory>
#include <optional>
#include <span>

#include "engine/common/result.hpp"
#include "handshake/codec/u16_list.hpp"
#include "handshake/crypto/credential.hpp"
#include "handshake/messages/client_hello.hpp"
#include "handshake/tls12/cipher_suite.hpp"
#include "handshake/tls12/config.hpp"

namespace tlsburst::handshake {

struct ServerChoice {
  const CipherSuiteInfo* suite = nullptr;
  std::shared_ptr<const Credential> credential;
  std::optional<NamedGroup> group;                  // ECDHE
  std::optional<SignatureScheme> signature_scheme;  // ECDHE (ServerKeyExchange)
};

// The first of `ours` (our preference) that the peer offers and `credential` can sign with.
// A peer without signature_algorithms implies SHA-1 (RFC 5246 7.4.1.4.1), which tlsburst does
// not use: no scheme.
std::optional<SignatureScheme> choose_signature_scheme(std::span<const SignatureScheme> ours,
                                                       const std::optional<U16List>& peer,
                                                       const Credential& credential);

// The first of our groups the client supports (without supported_groups: our first).
std::optional<NamedGroup> choose_group(std::span<const NamedGroup> ours, const std::optional<U16List>& peer);

// handshake_failure when no suite works with what both sides have.
Result<ServerChoice> choose_server_parameters(const ServerConfig& config, const ClientHello& hello);

}  // namespace tlsburst::handshake
