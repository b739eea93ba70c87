#include "bench/handshake/libssl_server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace tlsburst::handshake::bench {

namespace {

void die(const char* what) {
  std::fprintf(stderr, "libssl: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::exit(1);
}

SSL_CTX* make_ctx(bool server, const BenchCase& c) {
  SSL_CTX* ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  if (ctx == nullptr) die("SSL_CTX_new");
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  const std::string cipher(cipher_suite_info(c.suite).openssl_name);
  if (SSL_CTX_set_cipher_list(ctx, cipher.c_str()) != 1) die("cipher list");
  // The server uses X25519; the client also lists P-256, the ECDSA certificate's curve (RFC 8422).
  if (SSL_CTX_set1_groups_list(ctx, server ? "X25519" : "X25519:P-256") != 1) die("groups");
  if (SSL_CTX_set1_sigalgs_list(ctx, c.openssl_sigalg.c_str()) != 1) die("sigalgs");
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  if (server) {
    if (SSL_CTX_use_certificate_chain_file(ctx, pki_path(c.credential + ".pem").c_str()) != 1) die("certificate");
    if (SSL_CTX_use_PrivateKey_file(ctx, pki_path(c.credential + ".key").c_str(), SSL_FILETYPE_PEM) != 1) die("key");
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return ctx;
}

// Moves what `from` wrote into `to`'s read BIO.
void move_bytes(BIO* from_write, BIO* to_read) {
  char buf[16384];
  int n;
  while ((n = BIO_read(from_write, buf, sizeof buf)) > 0) BIO_write(to_read, buf, n);
}

}  // namespace

Rate run_libssl(const BenchCase& c, double seconds) {
  SSL_CTX* server_ctx = make_ctx(true, c);
  SSL_CTX* client_ctx = make_ctx(false, c);
  ServerTimer timer;
  Rate rate;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline || rate.count < 10) {
    SSL* server = timer.time([&] {
      SSL* s = SSL_new(server_ctx);
      SSL_set_bio(s, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
      SSL_set_accept_state(s);
      return s;
    });
    SSL* client = SSL_new(client_ctx);
    SSL_set_bio(client, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_connect_state(client);
    bool server_done = false, client_done = false;
    for (int round = 0; round < 10 && !(server_done && client_done); ++round) {
      if (!client_done) client_done = SSL_do_handshake(client) == 1;
      move_bytes(SSL_get_wbio(client), SSL_get_rbio(server));
      if (!server_done) server_done = timer.time([&] { return SSL_do_handshake(server); }) == 1;
      move_bytes(SSL_get_wbio(server), SSL_get_rbio(client));
    }
    if (!server_done || !client_done) die("handshake");
    if (SSL_CIPHER_get_id(SSL_get_current_cipher(server)) != (0x03000000u | static_cast<uint16_t>(c.suite))) {
      die("negotiated suite");
    }
    timer.time([&] { SSL_free(server); });
    SSL_free(client);
    ++rate.count;
  }
  SSL_CTX_free(server_ctx);
  SSL_CTX_free(client_ctx);
  rate.per_second = static_cast<double>(rate.count) / timer.seconds();
  return rate;
}

}  // namespace tlsburst::handshake::bench
