// The server's side of the handshake, one handler per step (handshake_order.hpp).
#include <algorithm>
#include <strings.h>

#include "handshake/crypto/random.hpp"
#include "handshake/crypto/rsa_key_exchange.hpp"
#include "handshake/crypto/signature.hpp"
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

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Result<Wait> Connection::server_read_client_hello(const HandshakeMessage* m) {
  const ServerConfig& config = *_server_config;
  auto decoded = decode_client_hello(m->body);
  if (!decoded) return decoded.error();
  const ClientHello& ch = *decoded;

  // Versions: TLS 1.2 only. A client signalling a fallback (RFC 7507) to a version below ours
  // is told inappropriate_fallback; any other older client protocol_version.
  if (ch.cipher_suites.contains(fallback_scsv) && ch.client_version < tls12_version) {
    return make_error(Alert::inappropriate_fallback, "ClientHello: TLS_FALLBACK_SCSV below TLS 1.2");
  }
  if (ch.client_version < tls12_version) {
    return make_error(Alert::protocol_version, "ClientHello: SSLv3, TLS 1.0 and 1.1 are not supported");
  }
  _client_hello_version = ch.client_version;
  if (std::find(ch.compression_methods.begin(), ch.compression_methods.end(), uint8_t{0}) ==
      ch.compression_methods.end()) {
    return make_error(Alert::illegal_parameter, "ClientHello: null compression not offered");
  }

  // Secure renegotiation indication (RFC 5746 3.6): on an initial handshake the extension must
  // be empty; either signal marks the client as RFC 5746 aware.
  if (ch.ext.renegotiation_info && !ch.ext.renegotiation_info->empty()) {
    return make_error(Alert::handshake_failure, "renegotiation_info: not empty on the initial handshake");
  }
  _info.secure_renegotiation = ch.ext.renegotiation_info.has_value() || ch.cipher_suites.contains(empty_renegotiation_info_scsv);

  _info.extended_master_secret = ch.ext.extended_master_secret;
  if (config.require_extended_master_secret && !_info.extended_master_secret) {
    return make_error(Alert::handshake_failure, "extended_master_secret required");
  }

  bool acknowledge_name = false;
  if (ch.ext.server_name) {
    _info.server_name = std::string(*ch.ext.server_name);
    if (!config.server_names.empty()) {
      const bool known = std::any_of(config.server_names.begin(), config.server_names.end(),
                                     [&](const std::string& n) { return equal_ignoring_case(n, *ch.ext.server_name); });
      if (!known) return make_error(Alert::unrecognized_name, "server_name: unknown host");
      acknowledge_name = true;
    }
  }

  if (ch.ext.alpn && !config.alpn.empty()) {
    for (const std::string& p : config.alpn) {
      if (ch.ext.alpn->contains(p)) {
        _info.alpn = p;
        break;
      }
    }
    if (_info.alpn.empty()) return make_error(Alert::no_application_protocol, "ALPN: no protocol in common");
  }

  auto choice = choose_server_parameters(config, ch);
  if (!choice) return choice.error();
  _suite = choice->suite;
  _credential = choice->credential;
  _info.cipher_suite = _suite->suite;
  _info.group = choice->group;
  _info.signature_scheme = choice->signature_scheme;
  _info.encrypt_then_mac = ch.ext.encrypt_then_mac && config.encrypt_then_mac && is_cbc(_suite->suite);
  _info.client_random = ch.random;

  if (_suite->key_exchange == KeyExchange::ecdhe) _shape |= shape::ecdhe;
  if (config.client_auth != ClientAuth::none) _shape |= shape::client_auth;
  // A CertificateVerify signs the raw messages: keep them when one may come.
  if (Status s = _transcript.select_hash(_suite->prf_hash, config.client_auth != ClientAuth::none); !s) {
    return s.error();
  }

  // Everything the ServerHello will say.
  ServerHelloExtensions& ext = _server_reply;
  ext = ServerHelloExtensions{};
  if (_info.secure_renegotiation) ext.renegotiation_info = std::span<const uint8_t>{};
  ext.server_name = acknowledge_name;
  ext.ec_point_formats = ch.ext.ec_point_formats && _suite->key_exchange == KeyExchange::ecdhe;
  if (!_info.alpn.empty()) ext.alpn = _info.alpn;
  ext.extended_master_secret = _info.extended_master_secret;
  ext.encrypt_then_mac = _info.encrypt_then_mac;
  return Wait::proceed;
}

Result<Wait> Connection::server_write_server_hello(const HandshakeMessage*) {
  if (Status s = random_bytes(_info.server_random); !s) return s.error();
  ServerHello sh;
  sh.server_version = tls12_version;
  sh.random = _info.server_random;
  sh.cipher_suite = static_cast<uint16_t>(_suite->suite);
  sh.compression_method = 0;
  sh.ext = _server_reply;
  if (!_info.alpn.empty()) sh.ext.alpn = _info.alpn;  // view of our own string
  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_server_hello(sh, msg); !s) return s.error();
  if (Status s = queue_message(msg); !s) return s.error();
  _channel.require_record_version(tls12_version);
  return Wait::proceed;
}

Result<Wait> Connection::server_write_certificate(const HandshakeMessage*) {
  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_certificate(_credential->chain(), msg); !s) return s.error();
  if (Status s = queue_message(msg); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::server_write_key_exchange(const HandshakeMessage*) {
  auto pair = EcdheKeyPair::generate(*_info.group);
  if (!pair) return pair.error();
  _ecdhe.emplace(std::move(pair).value());
  std::vector<uint8_t> params;
  params.reserve(4 + EcdheKeyPair::max_public_len);
  if (Status s = encode_ecdh_params(*_info.group, _ecdhe->public_value(), params); !s) return s.error();
  // RFC 8422 5.4: the signature covers client_random + server_random + ServerECDHParams.
  auto signature = sign(_credential->private_key(), *_info.signature_scheme,
                        {_info.client_random, _info.server_random, params});
  if (!signature) return signature.error();
  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_server_key_exchange(params, static_cast<uint16_t>(*_info.signature_scheme), *signature, msg); !s) {
    return s.error();
  }
  if (Status s = queue_message(msg); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::server_write_certificate_request(const HandshakeMessage*) {
  static constexpr ClientCertificateType types[] = {ClientCertificateType::ecdsa_sign, ClientCertificateType::rsa_sign};
  const ServerConfig& config = *_server_config;
  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_certificate_request(types, config.signature_schemes, config.client_ca->ca_names(), msg); !s) {
    return s.error();
  }
  if (Status s = queue_message(msg); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::server_write_server_hello_done(const HandshakeMessage*) {
  std::vector<uint8_t>& msg = message_buffer();
  if (Status s = encode_server_hello_done(msg); !s) return s.error();
  if (Status s = queue_message(msg); !s) return s.error();
  return Wait::flush;
}

Result<Wait> Connection::server_read_client_certificate(const HandshakeMessage* m) {
  auto cert = decode_certificate(m->body);
  if (!cert) return cert.error();
  if (cert->chain.empty()) {
    if (_server_config->client_auth == ClientAuth::require) {
      return make_error(Alert::handshake_failure, "client certificate required");
    }
    _shape |= shape::no_client_cert;
    _transcript.release_messages();
    return Wait::proceed;
  }
  auto key = _server_config->client_ca->verify(cert->chain, PeerPurpose::client, {});
  if (!key) return key.error();
  if (!key_type_of(key->get())) return make_error(Alert::unsupported_certificate, "client certificate: key type");
  _peer_key = std::move(key).value();
  return Wait::proceed;
}

Result<Wait> Connection::server_read_client_key_exchange(const HandshakeMessage* m) {
  auto value = decode_client_key_exchange(m->body, _suite->key_exchange);
  if (!value) return value.error();
  Result<PreMasterSecret> pms = _suite->key_exchange == KeyExchange::ecdhe
                                    ? _ecdhe->derive(*value)
                                    : rsa_decrypt_premaster(_credential->private_key(), *value, _client_hello_version);
  _ecdhe.reset();
  if (!pms) return pms.error();
  if (Status s = derive_master_secret(std::move(pms).value()); !s) return s.error();
  return Wait::proceed;
}

Result<Wait> Connection::server_read_certificate_verify(const HandshakeMessage* m) {
  auto cv = decode_certificate_verify(m->body);
  if (!cv) return cv.error();
  const auto info = signature_scheme_info(cv->signature_scheme);
  const auto& offered = _server_config->signature_schemes;
  if (!info || std::find(offered.begin(), offered.end(), info->scheme) == offered.end() ||
      !key_matches_scheme(_peer_key.get(), info->scheme)) {
    return make_error(Alert::illegal_parameter, "CertificateVerify: signature scheme not offered or wrong key type");
  }
  // Over every handshake message before this one (the transcript does not hold it yet).
  if (Status s = verify(_peer_key.get(), info->scheme, {_transcript.messages()}, cv->signature); !s) {
    return s.error();
  }
  _transcript.release_messages();
  _info.peer_authenticated = true;
  return Wait::proceed;
}

}  // namespace tlsburst::handshake
