// The TLS 1.2 full handshake as data (RFC 5246 7.3, figure 1): one constexpr table per handshake
// shape lists the steps in wire order; the driver advances by incrementing an index. Both
// sides use the same tables: a step is written by its writer and read by the other end.
//
// The shape is learnt as the handshake goes (key exchange at ServerHello, client authentication
// at CertificateRequest, an empty client Certificate at that message). Switching shape keeps the
// index valid because the tables agree on every step before the point where the shape is
// decided; static_asserts below check exactly that.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "handshake/messages/handshake_type.hpp"
#include "handshake/role.hpp"

namespace tlsburst::handshake {

enum class Step : uint8_t {
  client_hello,
  server_hello,
  server_certificate,
  server_key_exchange,
  certificate_request,
  server_hello_done,
  client_certificate,
  client_key_exchange,
  certificate_verify,
  client_change_cipher_spec,
  client_finished,
  server_change_cipher_spec,
  server_finished,
  established,
};
inline constexpr size_t num_steps = 14;

// Shape flags (bit set): the index of a shape's table.
namespace shape {
inline constexpr uint8_t ecdhe = 1;           // ServerKeyExchange present
inline constexpr uint8_t client_auth = 2;     // CertificateRequest, client Certificate
inline constexpr uint8_t no_client_cert = 4;  // the client's Certificate was empty: no CertificateVerify
inline constexpr size_t num_shapes = 8;
}  // namespace shape

constexpr Role writer_of(Step s) {
  switch (s) {
    case Step::client_hello:
    case Step::client_certificate:
    case Step::client_key_exchange:
    case Step::certificate_verify:
    case Step::client_change_cipher_spec:
    case Step::client_finished:
      return Role::client;
    default:
      return Role::server;
  }
}

constexpr bool is_change_cipher_spec(Step s) {
  return s == Step::client_change_cipher_spec || s == Step::server_change_cipher_spec;
}

// The handshake message a step carries (not meaningful for ChangeCipherSpec and established).
constexpr HandshakeType message_of(Step s) {
  switch (s) {
    case Step::client_hello: return HandshakeType::client_hello;
    case Step::server_hello: return HandshakeType::server_hello;
    case Step::server_certificate:
    case Step::client_certificate: return HandshakeType::certificate;
    case Step::server_key_exchange: return HandshakeType::server_key_exchange;
    case Step::certificate_request: return HandshakeType::certificate_request;
    case Step::server_hello_done: return HandshakeType::server_hello_done;
    case Step::client_key_exchange: return HandshakeType::client_key_exchange;
    case Step::certificate_verify: return HandshakeType::certificate_verify;
    case Step::client_finished:
    case Step::server_finished: return HandshakeType::finished;
    default: return HandshakeType::hello_request;
  }
}

// Whether a received message enters the transcript only after its handler ran: the handler
// checks a signature or MAC over the messages before it.
constexpr bool hashed_after_handler(Step s) {
  return s == Step::certificate_verify || s == Step::client_finished || s == Step::server_finished;
}

struct HandshakeOrder {
  std::array<Step, num_steps> steps{};
  size_t num = 0;
};

constexpr HandshakeOrder make_order(uint8_t flags) {
  HandshakeOrder o;
  auto add = [&o](Step s) { o.steps[o.num++] = s; };
  const bool ecdhe = flags & shape::ecdhe;
  const bool client_auth = flags & shape::client_auth;
  const bool client_cert = client_auth && !(flags & shape::no_client_cert);
  add(Step::client_hello);
  add(Step::server_hello);
  add(Step::server_certificate);
  if (ecdhe) add(Step::server_key_exchange);
  if (client_auth) add(Step::certificate_request);
  add(Step::server_hello_done);
  if (client_auth) add(Step::client_certificate);
  add(Step::client_key_exchange);
  if (client_cert) add(Step::certificate_verify);
  add(Step::client_change_cipher_spec);
  add(Step::client_finished);
  add(Step::server_change_cipher_spec);
  add(Step::server_finished);
  add(Step::established);
  return o;
}

inline constexpr std::array<HandshakeOrder, shape::num_shapes> handshake_orders = {
    make_order(0), make_order(1), make_order(2), make_order(3),
    make_order(4), make_order(5), make_order(6), make_order(7),
};

constexpr const HandshakeOrder& order_for(uint8_t flags) { return handshake_orders[flags & 7]; }

// Index of the first step of `s` in the order, or num_steps.
constexpr size_t index_of(const HandshakeOrder& o, Step s) {
  for (size_t i = 0; i < o.num; ++i) {
    if (o.steps[i] == s) return i;
  }
  return num_steps;
}

namespace detail {

// The two shapes agree on their first `n` steps.
constexpr bool same_prefix(uint8_t a, uint8_t b, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (order_for(a).steps[i] != order_for(b).steps[i]) return false;
  }
  return true;
}

// Setting `flag` at the index where the shape without it has step `decided_at` must not change
// the steps already taken: those before that index, and the step itself when the flag is set
// while handling it (`during` true) rather than in its place.
constexpr bool flag_switch_is_safe(uint8_t flag, Step decided_at, bool during) {
  for (uint8_t base = 0; base < shape::num_shapes; ++base) {
    if (base & flag) continue;
    const size_t at = index_of(order_for(base), decided_at);
    if (at == num_steps) continue;
    if (!same_prefix(base, static_cast<uint8_t>(base | flag), at + (during ? 1 : 0))) return false;
  }
  return true;
}

}  // namespace detail

// ecdhe is set while handling ServerHello; client_auth when the server writes / the client reads
// what follows the server's key material (CertificateRequest instead of ServerHelloDone);
// no_client_cert while handling the client's Certificate.
static_assert(detail::flag_switch_is_safe(shape::ecdhe, Step::server_hello, true));
static_assert(detail::flag_switch_is_safe(shape::client_auth, Step::server_hello_done, false));
static_assert(detail::flag_switch_is_safe(shape::no_client_cert, Step::client_certificate, true));
static_assert(order_for(0).num == 10 && order_for(shape::ecdhe | shape::client_auth).num == num_steps);

}  // namespace tlsburst::handshake
