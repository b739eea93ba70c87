#include "bench/handshake/primitives.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace tlsburst::handshake::bench {

namespace {

void die(const char* what) {
  std::fprintf(stderr, "primitives: %s failed\n", what);
  std::exit(1);
}

// Microseconds of this thread's CPU per call of `f`, over about `seconds` of CPU.
template <class F>
double time_us(double seconds, F&& f) {
  for (int i = 0; i < 20; ++i) f();  // warm-up
  uint64_t n = 0;
  const double start = thread_cpu_seconds();
  double now;
  do {
    for (int i = 0; i < 16; ++i) f();
    n += 16;
    now = thread_cpu_seconds();
  } while (now - start < seconds);
  return (now - start) * 1e6 / static_cast<double>(n);
}

EVP_PKEY* load_key(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) die("fopen key");
  EVP_PKEY* k = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (k == nullptr) die("PEM_read_PrivateKey");
  return k;
}

const char* md_name(SignatureHash h) {
  return h == SignatureHash::sha256 ? "SHA256" : h == SignatureHash::sha384 ? "SHA384" : "SHA512";
}

}  // namespace

PrimitiveTimes run_primitives(const BenchCase& c, double seconds) {
  PrimitiveTimes t;
  EVP_PKEY* key = load_key(pki_path(c.credential + ".key"));
  const SignatureSchemeInfo info = signature_scheme_info(c.scheme);
  std::vector<uint8_t> tbs(32 + 32 + 4 + 32, 0x5a);  // client_random, server_random, ECDH params
  std::vector<uint8_t> sig(EVP_PKEY_get_size(key));

  // Signing, the straightforward way: a context initialised per signature. The fastest of that and
  // duplicating a pre-initialised context is the primitive's cost.
  auto init_sign = [&](EVP_MD_CTX* ctx) {
    EVP_PKEY_CTX* pctx = nullptr;
    if (EVP_DigestSignInit_ex(ctx, &pctx, md_name(info.hash), nullptr, nullptr, key, nullptr) != 1) die("sign init");
    if (info.padding == SignaturePadding::pss) {
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
  };
  // EVP_MD_CTX_FLAG_FINALISE: the context is used once, so libcrypto need not copy it in Final.
  const double sign_fresh = time_us(seconds / 4, [&] {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    init_sign(ctx);
    EVP_MD_CTX_set_flags(ctx, EVP_MD_CTX_FLAG_FINALISE);
    size_t len = sig.size();
    if (EVP_DigestSign(ctx, sig.data(), &len, tbs.data(), tbs.size()) != 1) die("sign");
    EVP_MD_CTX_free(ctx);
  });
  EVP_MD_CTX* tmpl = EVP_MD_CTX_new();
  init_sign(tmpl);
  const double sign_dup = time_us(seconds / 4, [&] {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (EVP_MD_CTX_copy_ex(ctx, tmpl) != 1) die("copy");
    EVP_MD_CTX_set_flags(ctx, EVP_MD_CTX_FLAG_FINALISE);
    size_t len = sig.size();
    if (EVP_DigestSign(ctx, sig.data(), &len, tbs.data(), tbs.size()) != 1) die("sign dup");
    EVP_MD_CTX_free(ctx);
  });
  EVP_MD_CTX_free(tmpl);
  t.sign_us = std::min(sign_fresh, sign_dup);

  // X25519 key generation (context reused) and public value export.
  EVP_PKEY_CTX* gen = EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr);
  if (gen == nullptr || EVP_PKEY_keygen_init(gen) != 1) die("keygen init");
  uint8_t pub[32];
  t.keygen_us = time_us(seconds / 4, [&] {
    EVP_PKEY* k = nullptr;
    if (EVP_PKEY_generate(gen, &k) != 1) die("keygen");
    size_t len = sizeof pub;
    EVP_PKEY_get_raw_public_key(k, pub, &len);
    EVP_PKEY_free(k);
  });

  // X25519 derivation: import the peer's value, derive the shared secret.
  EVP_PKEY* ours = nullptr;
  EVP_PKEY* peer_src = nullptr;
  EVP_PKEY_generate(gen, &ours);
  EVP_PKEY_generate(gen, &peer_src);
  size_t peer_len = sizeof pub;
  EVP_PKEY_get_raw_public_key(peer_src, pub, &peer_len);
  uint8_t secret[32];
  auto derive_with = [&](EVP_PKEY* peer) {
    EVP_PKEY_CTX* d = EVP_PKEY_CTX_new_from_pkey(nullptr, ours, nullptr);
    size_t len = sizeof secret;
    if (peer == nullptr || d == nullptr || EVP_PKEY_derive_init(d) != 1 || EVP_PKEY_derive_set_peer_ex(d, peer, 0) != 1 ||
        EVP_PKEY_derive(d, secret, &len) != 1) {
      die("derive");
    }
    EVP_PKEY_CTX_free(d);
    EVP_PKEY_free(peer);
  };
  // The peer's value imported by name, or through a key-management context kept for the purpose
  // (no look-up per key): the faster counts.
  const double derive_by_name = time_us(seconds / 8, [&] {
    derive_with(EVP_PKEY_new_raw_public_key_ex(nullptr, "X25519", nullptr, pub, sizeof pub));
  });
  EVP_PKEY_CTX* fromdata = EVP_PKEY_CTX_new_from_name(nullptr, "X25519", nullptr);
  if (fromdata == nullptr || EVP_PKEY_fromdata_init(fromdata) != 1) die("fromdata init");
  const double derive_fromdata = time_us(seconds / 8, [&] {
    OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub, sizeof pub),
                           OSSL_PARAM_construct_end()};
    EVP_PKEY* peer = nullptr;
    if (EVP_PKEY_fromdata(fromdata, &peer, EVP_PKEY_PUBLIC_KEY, params) != 1) die("fromdata");
    derive_with(peer);
  });
  EVP_PKEY_CTX_free(fromdata);
  t.derive_us = std::min(derive_by_name, derive_fromdata);
  EVP_PKEY_free(ours);
  EVP_PKEY_free(peer_src);
  EVP_PKEY_CTX_free(gen);
  EVP_PKEY_free(key);
  return t;
}

}  // namespace tlsburst::handshake::bench
