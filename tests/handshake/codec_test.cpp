// Reader/Writer and every message codec: round trips, and malformed inputs (truncated at every
// length, overlong inner lengths, trailing bytes, duplicate or malformed extensions), each of
// which must fail with decode_error or illegal_parameter (or the extension's own alert), never
// crash or succeed.
#include <algorithm>
#include <gtest/gtest.h>

#include "handshake/codec/reader.hpp"
#include "handshake/codec/writer.hpp"
#include "handshake/extensions/alpn.hpp"
#include "handshake/extensions/client_hello_extensions.hpp"
#include "handshake/extensions/ec_point_formats.hpp"
#include "handshake/extensions/renegotiation_info.hpp"
#include "handshake/extensions/server_name.hpp"
#include "handshake/extensions/u16_list_extension.hpp"
#include "handshake/messages/certificate.hpp"
#include "handshake/messages/certificate_request.hpp"
#include "handshake/messages/certificate_verify.hpp"
#include "handshake/messages/client_hello.hpp"
#include "handshake/messages/client_key_exchange.hpp"
#include "handshake/messages/finished.hpp"
#include "handshake/messages/new_session_ticket.hpp"
#include "handshake/messages/server_hello.hpp"
#include "handshake/messages/server_hello_done.hpp"
#include "handshake/messages/server_key_exchange.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {
namespace {

using Bytes = std::vector<uint8_t>;

// The body of an encoded handshake message (after the 4-byte header), checking the header.
Bytes body_of(const Bytes& msg, HandshakeType type) {
  EXPECT_GE(msg.size(), 4u);
  EXPECT_EQ(msg[0], static_cast<uint8_t>(type));
  const size_t len = (size_t{msg[1]} << 16) | (size_t{msg[2]} << 8) | msg[3];
  EXPECT_EQ(len, msg.size() - 4);
  return Bytes(msg.begin() + 4, msg.end());
}

template <class R>
bool is_decode_alert(const R& r) {
  return !r.ok() && (r.error().alert == Alert::decode_error || r.error().alert == Alert::illegal_parameter);
}

// Every strict prefix of `body` fails, except the lengths listed in `valid_prefixes`.
template <class Decode>
void expect_truncations_fail(const Bytes& body, Decode decode, std::vector<size_t> valid_prefixes = {}) {
  for (size_t len = 0; len < body.size(); ++len) {
    const Bytes prefix(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(len));
    const auto r = decode(prefix);
    if (std::find(valid_prefixes.begin(), valid_prefixes.end(), len) != valid_prefixes.end()) continue;
    EXPECT_TRUE(is_decode_alert(r)) << "prefix of " << len << " of " << body.size() << " bytes";
  }
}

template <class Decode>
void expect_trailing_byte_fails(Bytes body, Decode decode) {
  body.push_back(0);
  const auto r = decode(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::decode_error);
}

// Adds `delta` to the big-endian length field of `width` bytes at `at`; decoding must fail.
template <class Decode>
void expect_overlong_length_fails(Bytes body, size_t at, size_t width, int delta, Decode decode) {
  size_t v = 0;
  for (size_t i = 0; i < width; ++i) v = (v << 8) | body[at + i];
  v += static_cast<size_t>(delta);
  for (size_t i = 0; i < width; ++i) body[at + width - 1 - i] = static_cast<uint8_t>(v >> (8 * i));
  EXPECT_TRUE(is_decode_alert(decode(body))) << "length at " << at << " changed by " << delta;
}

// ------------------------------------------------------------------ Reader / Writer

TEST(ReaderTest, ReadsAndBounds) {
  const Bytes b = {1, 0, 2, 0, 0, 3, 2, 0xaa, 0xbb, 9};
  Reader r(b);
  uint8_t u8 = 0;
  uint16_t u16 = 0;
  uint32_t u24 = 0;
  ASSERT_TRUE(r.read_u8(u8));
  ASSERT_TRUE(r.read_u16(u16));
  ASSERT_TRUE(r.read_u24(u24));
  EXPECT_EQ(u8, 1);
  EXPECT_EQ(u16, 2);
  EXPECT_EQ(u24, 3u);
  Reader sub;
  ASSERT_TRUE(r.read_prefixed_u8(sub));
  EXPECT_EQ(sub.remaining(), 2u);
  EXPECT_FALSE(r.expect_empty("x").ok());
  ASSERT_TRUE(r.read_u8(u8));
  EXPECT_TRUE(r.expect_empty("x").ok());
  EXPECT_FALSE(r.read_u8(u8));
  EXPECT_FALSE(r.read_u16(u16));
}

TEST(ReaderTest, FailedReadsLeaveTheReaderUntouched) {
  const Bytes b = {0, 5, 1, 2};
  Reader r(b);
  Reader sub;
  EXPECT_FALSE(r.read_prefixed_u16(sub)) << "length 5 with only 2 bytes left";
  EXPECT_EQ(r.remaining(), 4u);
  uint32_t v = 0;
  EXPECT_TRUE(r.read_u24(v));
  uint16_t w = 0;
  EXPECT_FALSE(r.read_u16(w));
  EXPECT_EQ(r.remaining(), 1u);
}

TEST(WriterTest, ChildWritersFillLengthPrefixes) {
  Bytes out;
  Writer w(out);
  w.put_u8(7);
  w.put_prefixed_u16([](Writer& c) {
    c.put_u8(1);
    c.put_prefixed_u8([](Writer& g) { g.put_u16(0x0203); });
    c.put_prefixed_u24([](Writer&) {});
  });
  ASSERT_TRUE(w.finish("test").ok());
  EXPECT_EQ(out, (Bytes{7, 0, 7, 1, 2, 2, 3, 0, 0, 0}));
}

TEST(WriterTest, OverflowingPrefixFails) {
  Bytes out;
  Writer w(out);
  w.put_prefixed_u8([](Writer& c) {
    for (int i = 0; i < 256; ++i) c.put_u8(0);
  });
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.finish("test").error().alert, Alert::internal_error);
  Bytes out2;
  Writer w2(out2);
  w2.put_u24(1u << 24);
  EXPECT_FALSE(w2.ok());
}

// ------------------------------------------------------------------ ClientHello

const std::vector<NamedGroup> groups = {NamedGroup::x25519, NamedGroup::secp256r1};
const std::vector<SignatureScheme> schemes = {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::rsa_pss_rsae_sha256};
const std::vector<std::string> alpn = {"h2", "http/1.1"};
const std::vector<uint16_t> suites = {0xc02b, 0xc02f, 0x00ff};

Bytes client_hello_body(bool with_extensions = true) {
  ClientHelloParams p;
  p.random.fill(0x11);
  p.cipher_suites = suites;
  if (with_extensions) {
    p.server_name = "server.test";
    p.groups = groups;
    p.signature_schemes = schemes;
    p.alpn = alpn;
    p.renegotiation_info = true;
    p.encrypt_then_mac = true;
    p.session_ticket = true;
  } else {
    p.renegotiation_info = false;
    p.extended_master_secret = false;
  }
  Bytes msg;
  EXPECT_TRUE(encode_client_hello(p, msg).ok());
  return body_of(msg, HandshakeType::client_hello);
}

// ClientHello without extensions block: version(2) random(32) session_id(1) suites(2+n) compression(2).
size_t client_hello_base_len() { return 2 + 32 + 1 + 2 + suites.size() * 2 + 2; }

TEST(ClientHelloTest, RoundTrip) {
  const Bytes body = client_hello_body();
  auto ch = decode_client_hello(body);
  ASSERT_TRUE(ch.ok()) << ch.error().message;
  EXPECT_EQ(ch->client_version, 0x0303);
  EXPECT_EQ(ch->random[0], 0x11);
  EXPECT_TRUE(ch->session_id.empty());
  ASSERT_EQ(ch->cipher_suites.size(), 3u);
  EXPECT_EQ(ch->cipher_suites[1], 0xc02f);
  ASSERT_EQ(ch->compression_methods.size(), 1u);
  EXPECT_EQ(ch->ext.server_name, "server.test");
  ASSERT_TRUE(ch->ext.supported_groups);
  EXPECT_TRUE(ch->ext.supported_groups->contains(29));
  EXPECT_TRUE(ch->ext.ec_point_formats);
  ASSERT_TRUE(ch->ext.signature_algorithms);
  EXPECT_EQ((*ch->ext.signature_algorithms)[1], 0x0804);
  ASSERT_TRUE(ch->ext.alpn);
  EXPECT_TRUE(ch->ext.alpn->contains("http/1.1"));
  EXPECT_EQ(ch->ext.alpn->size(), 2u);
  ASSERT_TRUE(ch->ext.renegotiation_info);
  EXPECT_TRUE(ch->ext.renegotiation_info->empty());
  EXPECT_TRUE(ch->ext.extended_master_secret);
  EXPECT_TRUE(ch->ext.encrypt_then_mac);
  EXPECT_TRUE(ch->ext.session_ticket);
}

TEST(ClientHelloTest, WithoutExtensions) {
  const Bytes body = client_hello_body(false);
  auto ch = decode_client_hello(body);
  ASSERT_TRUE(ch.ok()) << ch.error().message;
  EXPECT_FALSE(ch->ext.supported_groups);
  // The extensions field may be left out altogether.
  const Bytes bare(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(client_hello_base_len()));
  auto no_block = decode_client_hello(bare);
  ASSERT_TRUE(no_block.ok()) << no_block.error().message;
  EXPECT_TRUE(no_block->extensions.all().empty());
}

TEST(ClientHelloTest, TruncatedTrailingAndOverlong) {
  const Bytes body = client_hello_body();
  // Cut right after the compression methods, the hello is a valid one without extensions.
  expect_truncations_fail(body, decode_client_hello, {client_hello_base_len()});
  expect_trailing_byte_fails(body, decode_client_hello);
  const size_t suites_at = 2 + 32 + 1;
  expect_overlong_length_fails(body, 34, 1, 1, decode_client_hello);          // session_id length
  expect_overlong_length_fails(body, 34, 1, 33, decode_client_hello);         // session_id > 32
  expect_overlong_length_fails(body, suites_at, 2, 1, decode_client_hello);   // odd suites length
  expect_overlong_length_fails(body, suites_at, 2, 2, decode_client_hello);
  expect_overlong_length_fails(body, client_hello_base_len(), 2, 1, decode_client_hello);   // extensions
  expect_overlong_length_fails(body, client_hello_base_len(), 2, -1, decode_client_hello);
  // The first extension's own length.
  expect_overlong_length_fails(body, client_hello_base_len() + 4, 2, 1, decode_client_hello);
  expect_overlong_length_fails(body, client_hello_base_len() + 4, 2, -1, decode_client_hello);
}

TEST(ClientHelloTest, EmptyListsAreDecodeErrors) {
  Bytes body = client_hello_body(false);
  Bytes no_suites(body.begin(), body.begin() + 35);
  no_suites.insert(no_suites.end(), {0, 0, 1, 0});
  EXPECT_EQ(decode_client_hello(no_suites).error().alert, Alert::decode_error);
  Bytes no_compression(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(client_hello_base_len() - 2));
  no_compression.push_back(0);
  EXPECT_EQ(decode_client_hello(no_compression).error().alert, Alert::decode_error);
}

// A ClientHello whose extension block is `extensions` (entries, without the block length).
Bytes client_hello_with(const Bytes& extensions) {
  const Bytes body = client_hello_body(false);
  Bytes b(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(client_hello_base_len()));
  b.push_back(static_cast<uint8_t>(extensions.size() >> 8));
  b.push_back(static_cast<uint8_t>(extensions.size()));
  b.insert(b.end(), extensions.begin(), extensions.end());
  return b;
}

Bytes ext(uint16_t type, Bytes body) {
  Bytes e(4 + body.size());
  e[0] = static_cast<uint8_t>(type >> 8);
  e[1] = static_cast<uint8_t>(type);
  e[2] = static_cast<uint8_t>(body.size() >> 8);
  e[3] = static_cast<uint8_t>(body.size());
  std::copy(body.begin(), body.end(), e.begin() + 4);
  return e;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(ClientHelloTest, DuplicateExtensionsAreIllegalParameter) {
  const Bytes ems = ext(23, {});
  auto r = decode_client_hello(client_hello_with(concat({ems, ext(0xff01, {0}), ems})));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::illegal_parameter);
  // Unknown extensions are ignored, but duplicates of them are refused too.
  EXPECT_TRUE(decode_client_hello(client_hello_with(concat({ext(0x1234, {1, 2}), ext(0x4321, {})}))).ok());
  EXPECT_EQ(decode_client_hello(client_hello_with(concat({ext(0x1234, {}), ext(0x1234, {})}))).error().alert,
            Alert::illegal_parameter);
}

TEST(ClientHelloTest, MalformedExtensionBodies) {
  struct Case {
    Bytes extension;
    Alert alert;
  };
  const std::vector<Case> cases = {
      {ext(0, {}), Alert::decode_error},                                    // server_name: empty
      {ext(0, {0, 0}), Alert::decode_error},                                // empty list
      {ext(0, {0, 5, 0, 0, 1, 'a'}), Alert::decode_error},                  // overlong list
      {ext(0, {0, 4, 0, 0, 1, 'a', 0}), Alert::decode_error},               // trailing byte
      {ext(0, {0, 3, 0, 0, 0}), Alert::decode_error},                       // empty host name
      {ext(0, {0, 8, 0, 0, 1, 'a', 0, 0, 1, 'b'}), Alert::decode_error},    // two host names
      {ext(0, {0, 5, 0, 0, 2, 'a', 0}), Alert::illegal_parameter},          // NUL in the name
      {ext(10, {0, 3, 0, 29, 0}), Alert::decode_error},                     // supported_groups: odd
      {ext(10, {0, 0}), Alert::decode_error},                               // empty
      {ext(10, {0, 2, 0, 29, 0}), Alert::decode_error},                     // trailing byte
      {ext(11, {0}), Alert::decode_error},                                  // ec_point_formats: empty
      {ext(11, {1, 1}), Alert::illegal_parameter},                          // no uncompressed
      {ext(13, {0, 1, 4}), Alert::decode_error},                            // signature_algorithms: odd
      {ext(16, {0, 0}), Alert::decode_error},                               // ALPN: empty list
      {ext(16, {0, 3, 0, 1, 'a'}), Alert::decode_error},                    // empty protocol name
      {ext(16, {0, 3, 3, 'a', 'b'}), Alert::decode_error},                  // overlong name
      {ext(23, {0}), Alert::decode_error},                                  // EMS with data
      {ext(22, {1, 2}), Alert::decode_error},                               // ETM with data
      {ext(0xff01, {}), Alert::decode_error},                               // renegotiation_info: no field
      {ext(0xff01, {2, 0}), Alert::decode_error},                           // overlong field
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto r = decode_client_hello(client_hello_with(cases[i].extension));
    ASSERT_FALSE(r.ok()) << "case " << i;
    EXPECT_EQ(r.error().alert, cases[i].alert) << "case " << i << ": " << r.error().message;
  }
}

// ------------------------------------------------------------------ ServerHello

OfferedExtensions offered_all() {
  OfferedExtensions o;
  o.server_name = o.ec_point_formats = o.alpn = o.renegotiation_info = o.extended_master_secret =
      o.encrypt_then_mac = o.session_ticket = true;
  return o;
}

Bytes server_hello_body() {
  ServerHello sh;
  sh.random.fill(0x22);
  const Bytes sid(32, 7);
  sh.session_id = sid;
  sh.cipher_suite = 0xc02f;
  sh.ext.renegotiation_info = std::span<const uint8_t>{};
  sh.ext.ec_point_formats = true;
  sh.ext.alpn = "h2";
  sh.ext.extended_master_secret = true;
  sh.ext.server_name = true;
  Bytes msg;
  EXPECT_TRUE(encode_server_hello(sh, msg).ok());
  return body_of(msg, HandshakeType::server_hello);
}

TEST(ServerHelloTest, RoundTripAndMalformed) {
  const Bytes body = server_hello_body();
  const auto decode = [](const Bytes& b) { return decode_server_hello(b, offered_all()); };
  auto sh = decode(body);
  ASSERT_TRUE(sh.ok()) << sh.error().message;
  EXPECT_EQ(sh->cipher_suite, 0xc02f);
  EXPECT_EQ(sh->session_id.size(), 32u);
  EXPECT_EQ(sh->ext.alpn, "h2");
  EXPECT_TRUE(sh->ext.extended_master_secret);
  EXPECT_TRUE(sh->ext.server_name);
  ASSERT_TRUE(sh->ext.renegotiation_info);
  const size_t base = 2 + 32 + 1 + 32 + 2 + 1;
  expect_truncations_fail(body, decode, {base});
  expect_trailing_byte_fails(body, decode);
  expect_overlong_length_fails(body, 34, 1, 1, decode);
  expect_overlong_length_fails(body, base, 2, 1, decode);
}

TEST(ServerHelloTest, UnsolicitedExtensionIsUnsupportedExtension) {
  const Bytes body = server_hello_body();
  OfferedExtensions o = offered_all();
  o.alpn = false;
  auto r = decode_server_hello(body, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().alert, Alert::unsupported_extension);
}

TEST(ServerHelloTest, AlpnMustSelectExactlyOne) {
  EXPECT_FALSE(decode_alpn_selected(Bytes{0, 6, 2, 'h', '2', 2, 'h', '3'}).ok());
  EXPECT_FALSE(decode_alpn_selected(Bytes{0, 1, 0}).ok());
  const Bytes selected = {0, 3, 2, 'h', '2'};
  auto one = decode_alpn_selected(selected);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, "h2");
}

// ------------------------------------------------------------------ the other messages

TEST(CertificateTest, RoundTripAndMalformed) {
  const std::vector<Bytes> chain = {Bytes(300, 1), Bytes(5, 2)};
  Bytes msg;
  ASSERT_TRUE(encode_certificate(chain, msg).ok());
  const Bytes body = body_of(msg, HandshakeType::certificate);
  auto c = decode_certificate(body);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->chain.size(), 2u);
  EXPECT_EQ(c->chain[0].size(), 300u);
  EXPECT_EQ(c->chain[1][0], 2);
  expect_truncations_fail(body, decode_certificate);
  expect_trailing_byte_fails(body, decode_certificate);
  expect_overlong_length_fails(body, 0, 3, 1, decode_certificate);
  expect_overlong_length_fails(body, 3, 3, 1, decode_certificate);
  expect_overlong_length_fails(body, 3, 3, -1, decode_certificate);
  // An empty list is valid (a client without certificate); an empty certificate is not.
  EXPECT_TRUE(decode_certificate(Bytes{0, 0, 0}).ok());
  EXPECT_FALSE(decode_certificate(Bytes{0, 0, 3, 0, 0, 0}).ok());
}

TEST(ServerKeyExchangeTest, RoundTripAndMalformed) {
  const Bytes point(65, 4);
  Bytes params;
  ASSERT_TRUE(encode_ecdh_params(NamedGroup::secp256r1, point, params).ok());
  const Bytes sig(71, 9);
  Bytes msg;
  ASSERT_TRUE(encode_server_key_exchange(params, 0x0403, sig, msg).ok());
  const Bytes body = body_of(msg, HandshakeType::server_key_exchange);
  auto ske = decode_server_key_exchange(body);
  ASSERT_TRUE(ske.ok());
  EXPECT_EQ(ske->group, 23);
  EXPECT_EQ(ske->public_value.size(), 65u);
  EXPECT_EQ(Bytes(ske->params.begin(), ske->params.end()), params);
  EXPECT_EQ(ske->signature_scheme, 0x0403);
  EXPECT_EQ(ske->signature.size(), 71u);
  expect_truncations_fail(body, decode_server_key_exchange);
  expect_trailing_byte_fails(body, decode_server_key_exchange);
  expect_overlong_length_fails(body, 3, 1, 1, decode_server_key_exchange);
  expect_overlong_length_fails(body, 4 + 65 + 2, 2, 1, decode_server_key_exchange);
  Bytes explicit_curve = body;
  explicit_curve[0] = 1;
  EXPECT_EQ(decode_server_key_exchange(explicit_curve).error().alert, Alert::illegal_parameter);
}

TEST(CertificateRequestTest, RoundTripAndMalformed) {
  const std::vector<ClientCertificateType> types = {ClientCertificateType::ecdsa_sign, ClientCertificateType::rsa_sign};
  const std::vector<Bytes> names = {Bytes(20, 3), Bytes(4, 4)};
  Bytes msg;
  ASSERT_TRUE(encode_certificate_request(types, schemes, names, msg).ok());
  const Bytes body = body_of(msg, HandshakeType::certificate_request);
  auto cr = decode_certificate_request(body);
  ASSERT_TRUE(cr.ok());
  EXPECT_EQ(cr->certificate_types.size(), 2u);
  EXPECT_EQ(cr->signature_algorithms.size(), 2u);
  ASSERT_EQ(cr->authorities.size(), 2u);
  EXPECT_EQ(cr->authorities[1].size(), 4u);
  expect_truncations_fail(body, decode_certificate_request);
  expect_trailing_byte_fails(body, decode_certificate_request);
  expect_overlong_length_fails(body, 0, 1, 1, decode_certificate_request);
  expect_overlong_length_fails(body, 3, 2, 1, decode_certificate_request);
}

TEST(SmallMessagesTest, RoundTripsAndMalformed) {
  Bytes msg;
  ASSERT_TRUE(encode_server_hello_done(msg).ok());
  EXPECT_TRUE(decode_server_hello_done(body_of(msg, HandshakeType::server_hello_done)).ok());
  EXPECT_EQ(decode_server_hello_done(Bytes{0}).error().alert, Alert::decode_error);

  for (KeyExchange kind : {KeyExchange::ecdhe, KeyExchange::rsa}) {
    Bytes cke;
    const Bytes value(kind == KeyExchange::ecdhe ? 32 : 256, 5);
    ASSERT_TRUE(encode_client_key_exchange(kind, value, cke).ok());
    const Bytes body = body_of(cke, HandshakeType::client_key_exchange);
    const auto decode = [kind](const Bytes& b) { return decode_client_key_exchange(b, kind); };
    auto v = decode(body);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->size(), value.size());
    expect_truncations_fail(body, decode);
    expect_trailing_byte_fails(body, decode);
    EXPECT_FALSE(decode(kind == KeyExchange::ecdhe ? Bytes{0} : Bytes{0, 0}).ok()) << "empty value";
  }

  Bytes cv;
  ASSERT_TRUE(encode_certificate_verify(0x0804, Bytes(256, 6), cv).ok());
  const Bytes cv_body = body_of(cv, HandshakeType::certificate_verify);
  auto d = decode_certificate_verify(cv_body);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->signature_scheme, 0x0804);
  expect_truncations_fail(cv_body, decode_certificate_verify);
  expect_trailing_byte_fails(cv_body, decode_certificate_verify);

  const Bytes nst = {0, 0, 0x1c, 0x20, 0, 3, 7, 8, 9};  // lifetime 7200 s, a 3-byte ticket
  auto ticket = decode_new_session_ticket(nst);
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(ticket->lifetime_hint, 7200u);
  EXPECT_EQ(ticket->ticket.size(), 3u);
  expect_truncations_fail(nst, decode_new_session_ticket);
  expect_trailing_byte_fails(nst, decode_new_session_ticket);

  VerifyData vd{};
  vd.fill(0x5a);
  Bytes fin;
  ASSERT_TRUE(encode_finished(vd, fin).ok());
  const Bytes fin_body = body_of(fin, HandshakeType::finished);
  auto f = decode_finished(fin_body);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, vd);
  expect_truncations_fail(fin_body, decode_finished);
  expect_trailing_byte_fails(fin_body, decode_finished);
}

}  // namespace
}  // namespace tlsburst::handshake
