// The client's side of the handshake, one handler per step (handshake_order.hpp).
#include <algorithm>

#include "handshake/crypto/random.hpp"
#include "handshake/crypto/rsa_key_exchange.hpp"
#include "handshake/crypto/signature.hpp"
#include "handshake/extensions/server_name.hpp"
#include "handshake/messages/certificate.hpp"
#include "handshake/messages/certificate_request.hpp"
#include "handshake/messages/certificate_verify.hpp"
#include "handshake/messages/client_hello.hpp"
#include "handshake/messages/client_key_exchange.hpp"
#include "handshake/messages/server_hello.hpp"
#include "handshake/messages/server_hello_done.hpp"
#include "handshake/messages/server_key_exchange.hpp"
#include "handshake/tls12/connection.hpp"
#include "handshake/tls12/negotiation.hpp"

namespace tlsburst::handshake {

namespace {

constexpr uint16_t tls12_version = 0x0303;

bool offered_ecdhe(const std::vector<CipherSuite>& suites) {
  return std::any_of(suites.begin(), suites.end(),
                     [](CipherSuite s) { return cipher_suite_info(s).key_exchange == KeyExchange::ecdhe; });
}

}  // namespace

Result<Wait> Connection::client_write_client_hello(const HandshakeMessage*) {
  const ClientConfig& config = *_client_config;
  if (Status s = random_bytes(_info.client_random); !s) return s.error();
  _client_hello_version = tls12_version;

  _offered_suites.clear();
  bool any_cbc = false;
  for (CipherSuite s : config.cipher_suites) {
    _offered_suites.push_back(static_cast<uint16_t>(s));
    any_cbc |= is_cbc(s);
  }
  _offered_suites.push_back(empty_renegotiation_info_scsv);

  ClientHelloParams p;
  p.client_version = _client_hello_version;
  p.random = _info.client_random;
  p.cipher_suites = _offered_suites;
  p.server_name = is_ip_literal(_server_name) ? std::string_view() : std::string_view(_server_name);
  if (offered_ecdhe(config.cipher_suites)) p.groups = config.groups;
  p.signature_schemes = config.signature_schemes;
  p.alpn = config.alpn;
  p.renegotiation_info = false;  // the SCSV signals it (RFC 5746 3.4)
  p.extended_master_secret = config.offer_extended_master_secret;
  p.encrypt_then_mac = config.offer_encrypt_then_mac && any_cbc;
  p.session_ticket = config.offer_session_ticket;

  _offered = OfferedExtensions{};
  _offered.server_name = !p.server_name.empty();
  _offered.ec_point_formats = !p.groups.empty();
  _offered.alpn = !p.alpn.empty();
  _offered.renegotiation_info = true;  // the SCSV counts as offering it
  _offered.extended_master_secret = p.extended_master_secret;
  _offered.encrypt_then_mac = p.encrypt_then_mac;
  _offered.session_ticket = p.session_ticket;

  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_client_hello(p, msg); !s) return s.error();
  if (Status s = queue_message(msg); !s) return s.error();
  return Wait::flush;
}

Result<Wait> Connection::client_read_server_hello(const HandshakeMessage* m) {
  const ClientConfig& config = *_client_config;
  auto decoded = decode_server_hello(m->body, _offered);
  if (!decoded) return decoded.error();
  const ServerHello& sh = *decoded;
  if (sh.server_version != tls12_version) {
    return make_error(Alert::protocol_version, "ServerHello: not TLS 1.2");
  }
  _channel.require_record_version(tls12_version);
  const CipherSuiteInfo* suite = cipher_suite_info(sh.cipher_suite);
  if (suite == nullptr || std::find(config.cipher_suites.begin(), config.cipher_suites.end(), suite->suite) ==
                              config.cipher_suites.end()) {
    return make_error(Alert::illegal_parameter, "ServerHello: cipher suite not offered");
  }
  if (sh.compression_method != 0) return make_error(Alert::illegal_parameter, "ServerHello: compression");

  if (sh.ext.renegotiation_info) {
    if (!sh.ext.renegotiation_info->empty()) {
      return make_error(Alert::handshake_failure, "renegotiation_info: not empty on the initial handshake");
    }
    _info.secure_renegotiation = true;
  } else if (config.require_secure_renegotiation) {
    return make_error(Alert::handshake_failure, "server does not support secure renegotiation (RFC 5746)");
  }
  _info.session_ticket_acknowledged = sh.ext.session_ticket;
  _info.extended_master_secret = sh.ext.extended_master_secret;
  if (config.require_extended_master_secret && !_info.extended_master_secret) {
    return make_error(Alert::handshake_failure, "extended_master_secret required");
  }
  // RFC 7366 3: encrypt-then-MAC only applies to CBC suites; an AEAD suite ignores it.
  _info.encrypt_then_mac = sh.ext.encrypt_then_mac && is_cbc(suite->suite);
  if (sh.ext.alpn) {
    if (std::find(config.alpn.begin(), config.alpn.end(), *sh.ext.alpn) == config.alpn.end()) {
      return make_error(Alert::illegal_parameter, "ALPN: server chose a protocol not offered");
    }
    _info.alpn = std::string(*sh.ext.alpn);
  }

  _suite = suite;
  _info.cipher_suite = suite->suite;
  _info.server_random = sh.random;
  if (suite->key_exchange == KeyExchange::ecdhe) _shape |= shape::ecdhe;
  // Keep the raw messages until we know whether a CertificateVerify is needed.
  if (Status s = _transcript.select_hash(suite->prf_hash, config.credential != nullptr); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::client_read_certificate(const HandshakeMessage* m) {
  const ClientConfig& config = *_client_config;
  auto cert = decode_certificate(m->body);
  if (!cert) return cert.error();
  if (cert->chain.empty()) return make_error(Alert::bad_certificate, "server sent no certificate");
  Result<EvpPkeyPtr> key = config.verify_peer
                               ? config.trust->verify(cert->chain, PeerPurpose::server, _server_name)
                               : CertificateVerifier::leaf_public_key(cert->chain[0]);
  if (!key) return key.error();
  const auto type = key_type_of(key->get());
  if (!type || *type != _suite->authentication) {
    return make_error(Alert::unsupported_certificate, "server certificate key does not match the cipher suite");
  }
  _peer_key = std::move(key).value();
  _info.peer_authenticated = config.verify_peer;
  return Wait::proceed;
}

Result<Wait> Connection::client_read_server_key_exchange(const HandshakeMessage* m) {
  const ClientConfig& config = *_client_config;
  auto ske = decode_server_key_exchange(m->body);
  if (!ske) return ske.error();
  const auto group = named_group_from_wire(ske->group);
  if (!group || std::find(config.groups.begin(), config.groups.end(), *group) == config.groups.end()) {
    return make_error(Alert::illegal_parameter, "ServerKeyExchange: group not offered");
  }
  const auto scheme = signature_scheme_info(ske->signature_scheme);
  if (!scheme ||
      std::find(config.signature_schemes.begin(), config.signature_schemes.end(), scheme->scheme) ==
          config.signature_schemes.end() ||
      !key_matches_scheme(_peer_key.get(), scheme->scheme)) {
    return make_error(Alert::illegal_parameter, "ServerKeyExchange: signature scheme not offered or wrong key");
  }
  if (Status s = verify(_peer_key.get(), scheme->scheme, {_info.client_random, _info.server_random, ske->params},
                        ske->signature);
      !s) {
    return s.error();
  }
  _info.group = *group;
  _info.signature_scheme = scheme->scheme;
  auto pair = EcdheKeyPair::generate(*group);
  if (!pair) return pair.error();
  auto pms = pair->derive(ske->public_value);
  if (!pms) return pms.error();
  _ecdhe.emplace(std::move(pair).value());
  _premaster.emplace(std::move(pms).value());
  return Wait::proceed;
}

Result<Wait> Connection::client_read_certificate_request(const HandshakeMessage* m) {
  const ClientConfig& config = *_client_config;
  auto cr = decode_certificate_request(m->body);
  if (!cr) return cr.error();
  _credential.reset();
  if (config.credential) {
    const uint8_t wanted = config.credential->key_type() == KeyType::rsa
                               ? static_cast<uint8_t>(ClientCertificateType::rsa_sign)
                               : static_cast<uint8_t>(ClientCertificateType::ecdsa_sign);
    const bool type_ok = std::find(cr->certificate_types.begin(), cr->certificate_types.end(), wanted) !=
                         cr->certificate_types.end();
    const auto scheme = choose_signature_scheme(config.signature_schemes, cr->signature_algorithms, *config.credential);
    if (type_ok && scheme) {
      _credential = config.credential;
      _client_cert_scheme = scheme;
    }
  }
  return Wait::proceed;
}

Result<Wait> Connection::client_read_server_hello_done(const HandshakeMessage* m) {
  if (Status s = decode_server_hello_done(m->body); !s) return s.error();
  if ((_shape & shape::ecdhe) && !_premaster) {
    return make_error(Alert::unexpected_message, "ServerHelloDone before ServerKeyExchange");
  }
  if (!_credential) _transcript.release_messages();
  return Wait::proceed;
}

Result<Wait> Connection::client_write_certificate(const HandshakeMessage*) {
  std::vector<uint8_t>& msg = message_buffer();
  static const std::vector<std::vector<uint8_t>> empty_chain;
  if (Status s = encode_certificate(_credential ? _credential->chain() : empty_chain, msg); !s) return s.error();
  if (Status s = queue_message(msg); !s) return s.error();
  if (!_credential) _shape |= shape::no_client_cert;
  return Wait::proceed;
}

Result<Wait> Connection::client_write_key_exchange(const HandshakeMessage*) {
  std::vector<uint8_t>& msg = message_buffer();
  PreMasterSecret pms;
  if (_suite->key_exchange == KeyExchange::ecdhe) {
    if (Status s = encode_client_key_exchange(KeyExchange::ecdhe, _ecdhe->public_value(), msg); !s) return s.error();
    pms = std::move(*_premaster);
    _premaster.reset();
    _ecdhe.reset();
  } else {
    auto rsa = rsa_encrypt_premaster(_peer_key.get(), _client_hello_version);
    if (!rsa) return rsa.error();
    if (Status s = encode_client_key_exchange(KeyExchange::rsa, rsa->encrypted, msg); !s) return s.error();
    pms = std::move(rsa->premaster);
  }
  if (Status s = queue_message(msg); !s) return s.error();
  if (Status s = derive_master_secret(std::move(pms)); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::client_write_certificate_verify(const HandshakeMessage*) {
  auto signature = sign(_credential->private_key(), *_client_cert_scheme, {_transcript.messages()});
  if (!signature) return signature.error();
  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_certificate_verify(static_cast<uint16_t>(*_client_cert_scheme), *signature, msg); !s) {
    return s.error();
  }
  _transcript.release_messages();
  if (Status s = queue_message(msg); !s) return s.error();
  return Wait::proceed;
}

}  // namespace tlsburst::handshake
