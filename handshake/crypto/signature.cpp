#include "handshake/crypto/signature.hpp"

#include <openssl/rsa.h>

#include "handshake/crypto/hash_algorithm.hpp"
#include "handshake/crypto/openssl_ptr.hpp"

#include <vector>

namespace tlsburst::handshake {

namespace {

const EVP_MD* scheme_md(SignatureHash h) {
  switch (h) {
    case SignatureHash::sha256: return evp_md(HashAlgorithm::sha256);
    case SignatureHash::sha384: return evp_md(HashAlgorithm::sha384);
    case SignatureHash::sha512: return evp_md(HashAlgorithm::sha512);
  }
  return nullptr;
}

// Initialises `md_ctx` for signing or verifying with `scheme`.
Status init_ctx(EVP_MD_CTX* md_ctx, EVP_PKEY* key, SignatureScheme scheme, bool signing) {
  const SignatureSchemeInfo info = signature_scheme_info(scheme);
  if (!key_matches_scheme(key, scheme)) {
    return make_error(Alert::internal_error, "signature: key does not match the scheme");
  }
  EVP_PKEY_CTX* pctx = nullptr;
  const int rc = signing ? EVP_DigestSignInit(md_ctx, &pctx, scheme_md(info.hash), nullptr, key)
                         : EVP_DigestVerifyInit(md_ctx, &pctx, scheme_md(info.hash), nullptr, key);
  if (rc != 1) return openssl_error(Alert::internal_error, "signature: init");
  if (info.padding == SignaturePadding::pss) {
    // RFC 8446 4.2.3: MGF1 with the signature hash and a salt as long as the hash.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, scheme_md(info.hash)) != 1) {
      return openssl_error(Alert::internal_error, "signature: PSS parameters");
    }
  } else if (info.padding == SignaturePadding::pkcs1) {
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
      return openssl_error(Alert::internal_error, "signature: PKCS#1 padding");
    }
  }
  return Status::success();
}

// Signing contexts, initialised once per thread, key and scheme and then duplicated per
// signature: initialising one costs provider look-ups that duplicating avoids. The cache holds a
// reference to each key, so an entry can never be confused with a later key at the same address.
EVP_MD_CTX* signing_template(EVP_PKEY* key, SignatureScheme scheme) {
  struct Entry {
    EvpPkeyPtr key;
    SignatureScheme scheme;
    EvpMdCtxPtr ctx;
  };
  constexpr size_t max_entries = 8;
  thread_local std::vector<Entry> cache;
  for (Entry& e : cache) {
    if (e.key.get() == key && e.scheme == scheme) return e.ctx.get();
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || !init_ctx(ctx.get(), key, scheme, true)) {
    clear_openssl_errors();
    return nullptr;
  }
  if (cache.size() == max_entries) cache.erase(cache.begin());
  cache.push_back(Entry{up_ref(key), scheme, std::move(ctx)});
  return cache.back().ctx.get();
}

}  // namespace

std::optional<KeyType> key_type_of(const EVP_PKEY* key) {
  if (key == nullptr) return std::nullopt;
  if (EVP_PKEY_is_a(key, "RSA")) return KeyType::rsa;
  if (EVP_PKEY_is_a(key, "EC")) return KeyType::ecdsa;
  return std::nullopt;
}

bool key_matches_scheme(const EVP_PKEY* key, SignatureScheme scheme) {
  const auto type = key_type_of(key);
  return type && *type == signature_scheme_info(scheme).key_type;
}

Result<std::vector<uint8_t>> sign(EVP_PKEY* key, SignatureScheme scheme,
                                  std::initializer_list<std::span<const uint8_t>> parts) {
  EVP_MD_CTX* tmpl = signing_template(key, scheme);  // checks that the key matches the scheme
  if (tmpl == nullptr) return make_error(Alert::internal_error, "signature: cannot sign with this key and scheme");
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), tmpl) != 1) return openssl_error(Alert::internal_error, "signature: copy");
  // The context is used once: without this flag libcrypto duplicates it again inside Final.
  EVP_MD_CTX_set_flags(ctx.get(), EVP_MD_CTX_FLAG_FINALISE);
  for (std::span<const uint8_t> p : parts) {
    if (!p.empty() && EVP_DigestSignUpdate(ctx.get(), p.data(), p.size()) != 1) {
      return openssl_error(Alert::internal_error, "signature: update");
    }
  }
  // The largest signature of the key (ECDSA signatures vary in length; the result is trimmed).
  size_t len = static_cast<size_t>(EVP_PKEY_get_size(key));
  std::vector<uint8_t> out(len);
  if (EVP_DigestSignFinal(ctx.get(), out.data(), &len) != 1) return openssl_error(Alert::internal_error, "signature: sign");
  out.resize(len);
  return out;
}

Status verify(EVP_PKEY* key, SignatureScheme scheme, std::initializer_list<std::span<const uint8_t>> parts,
              std::span<const uint8_t> signature) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return openssl_error(Alert::internal_error, "signature: EVP_MD_CTX_new");
  if (Status s = init_ctx(ctx.get(), key, scheme, false); !s) return s;
  for (std::span<const uint8_t> p : parts) {
    if (!p.empty() && EVP_DigestVerifyUpdate(ctx.get(), p.data(), p.size()) != 1) {
      return openssl_error(Alert::internal_error, "signature: update");
    }
  }
  if (EVP_DigestVerifyFinal(ctx.get(), signature.data(), signature.size()) != 1) {
    return openssl_error(Alert::decrypt_error, "signature: verification failed");
  }
  return Status::success();
}

}  // namespace tlsburst::handshake
