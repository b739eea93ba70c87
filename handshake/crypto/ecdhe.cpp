#include "handshake/crypto/ecdhe.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace tlsburst::handshake {

namespace {

const char* group_param_name(NamedGroup g) {
  switch (g) {
    case NamedGroup::secp256r1: return "P-256";
    case NamedGroup::secp384r1: return "P-384";
    case NamedGroup::x25519: return "X25519";
  }
  return "";
}

// Key-generation contexts are set up once per thread and group and reused: creating one per
// handshake costs a provider fetch.
EVP_PKEY_CTX* keygen_ctx(NamedGroup g) {
  struct Cache {
    EvpPkeyCtxPtr ctx[3];
  };
  thread_local Cache cache;
  const size_t i = g == NamedGroup::x25519 ? 0 : g == NamedGroup::secp256r1 ? 1 : 2;
  if (!cache.ctx[i]) {
    const bool x25519 = g == NamedGroup::x25519;
    EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, x25519 ? "X25519" : "EC", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) return nullptr;
    if (!x25519) {
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group_param_name(g)), 0),
          OSSL_PARAM_construct_end(),
      };
      if (EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) return nullptr;
    }
    cache.ctx[i] = std::move(ctx);
  }
  return cache.ctx[i].get();
}

Result<EvpPkeyPtr> peer_key(NamedGroup g, std::span<const uint8_t> value) {
  if (value.size() != named_group_public_len(g)) {
    return make_error(Alert::illegal_parameter, "ECDHE: peer public value has the wrong length");
  }
  const bool x25519 = g == NamedGroup::x25519;
  if (!x25519 && value[0] != 0x04) {
    return make_error(Alert::illegal_parameter, "ECDHE: peer point is not uncompressed");
  }
  // Import (which checks that a NIST point lies on the curve) on a per-thread context, so that the
  // key management is not looked up again for every handshake.
  thread_local EvpPkeyCtxPtr fromdata_ctx[2];
  EvpPkeyCtxPtr& ctx = fromdata_ctx[x25519 ? 0 : 1];
  if (!ctx) {
    ctx.reset(EVP_PKEY_CTX_new_from_name(nullptr, x25519 ? "X25519" : "EC", nullptr));
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
      ctx.reset();
      return openssl_error(Alert::internal_error, "ECDHE: EVP_PKEY_fromdata_init");
    }
  }
  OSSL_PARAM params[3];
  size_t i = 0;
  if (!x25519) {
    params[i++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group_param_name(g)), 0);
  }
  params[i++] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(value.data()), value.size());
  params[i] = OSSL_PARAM_construct_end();
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return openssl_error(Alert::illegal_parameter, "ECDHE: bad peer public value");
  }
  return EvpPkeyPtr(raw);
}

}  // namespace

Result<EcdheKeyPair> EcdheKeyPair::generate(NamedGroup group) {
  EVP_PKEY_CTX* ctx = keygen_ctx(group);
  if (ctx == nullptr) return openssl_error(Alert::internal_error, "ECDHE: key generation context");
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx, &raw) != 1) return openssl_error(Alert::internal_error, "ECDHE: EVP_PKEY_generate");
  EcdheKeyPair pair(group, EvpPkeyPtr(raw));
  size_t len = 0;
  if (group == NamedGroup::x25519) {
    len = pair._public.size();
    if (EVP_PKEY_get_raw_public_key(raw, pair._public.data(), &len) != 1) {
      return openssl_error(Alert::internal_error, "ECDHE: EVP_PKEY_get_raw_public_key");
    }
  } else {
    if (EVP_PKEY_get_octet_string_param(raw, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pair._public.data(),
                                        pair._public.size(), &len) != 1) {
      return openssl_error(Alert::internal_error, "ECDHE: encoded public key");
    }
  }
  if (len != named_group_public_len(group)) {
    return make_error(Alert::internal_error, "ECDHE: unexpected public value size");
  }
  pair._public_len = len;
  return pair;
}

Result<PreMasterSecret> EcdheKeyPair::derive(std::span<const uint8_t> peer_public) const {
  auto peer = peer_key(_group, peer_public);
  if (!peer) return peer.error();
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, _key.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) {
    return openssl_error(Alert::internal_error, "ECDHE: EVP_PKEY_derive_init");
  }
  if (EVP_PKEY_derive_set_peer_ex(ctx.get(), peer->get(), 0) != 1) {
    return openssl_error(Alert::illegal_parameter, "ECDHE: peer key rejected");
  }
  // The shared secret is the x coordinate (X25519: the u coordinate): as long as the field.
  size_t len = _group == NamedGroup::secp384r1 ? 48 : 32;
  PreMasterSecret pms;
  std::span<uint8_t> out = pms.prepare(len);
  // X25519: libcrypto refuses an all-zero result (a small-order peer point), RFC 7748 6.1.
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    return openssl_error(Alert::illegal_parameter, "ECDHE: derivation failed");
  }
  return pms;
}

}  // namespace tlsburst::handshake
