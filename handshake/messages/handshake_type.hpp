// Handshake message types (RFC 5246 7.4) and the 4-byte message header: type(1) length(3).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace tlsburst::handshake {

enum class HandshakeType : uint8_t {
  hello_request = 0,
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  certificate = 11,
  server_key_exchange = 12,
  certificate_request = 13,
  server_hello_done = 14,
  certificate_verify = 15,
  client_key_exchange = 16,
  finished = 20,
};

inline constexpr size_t handshake_header_len = 4;

constexpr std::string_view handshake_type_name(HandshakeType t) {
  switch (t) {
    case HandshakeType::hello_request: return "HelloRequest";
    case HandshakeType::client_hello: return "ClientHello";
    case HandshakeType::server_hello: return "ServerHello";
    case HandshakeType::new_session_ticket: return "NewSessionTicket";
    case HandshakeType::certificate: return "Certificate";
    case HandshakeType::server_key_exchange: return "ServerKeyExchange";
    case HandshakeType::certificate_request: return "CertificateRequest";
    case HandshakeType::server_hello_done: return "ServerHelloDone";
    case HandshakeType::certificate_verify: return "CertificateVerify";
    case HandshakeType::client_key_exchange: return "ClientKeyExchange";
    case HandshakeType::finished: return "Finished";
  }
  return "unknown";
}

// One complete received handshake message. Views into the reassembly buffer: valid until the
// next message is requested.
struct HandshakeMessage {
  HandshakeType type = HandshakeType::hello_request;
  std::span<const uint8_t> body;     // after the 4-byte header
  std::span<const uint8_t> encoded;  // header and body, as hashed into the transcript
};

}  // namespace tlsburst::handshake
