#include "handshake/crypto/prf.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>

#include "engine/common/secret.hpp"
#include "handshake/crypto/openssl_ptr.hpp"

namespace tlsburst::handshake {

namespace {

EVP_MAC* hmac_method() {
  // Fetched once for the process; EVP_MAC objects are immutable and shared between threads.
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

// HMAC under one key on a per-thread libcrypto context whose digest is set once: re-keying an
// existing context costs two compressions, creating one (and fetching its digest by name) costs
// far more. The PRF runs to completion on its thread, so one context per hash suffices.
class Hmac {
 public:
  Status init(HashAlgorithm hash, std::span<const uint8_t> key) {
    _ctx = context(hash);
    if (_ctx == nullptr) return openssl_error(Alert::internal_error, "PRF: HMAC context");
    // A zero-length secret is legal for HMAC; give libcrypto a valid pointer anyway.
    static const uint8_t empty_key = 0;
    if (EVP_MAC_init(_ctx, key.empty() ? &empty_key : key.data(), key.size(), nullptr) != 1) {
      return openssl_error(Alert::internal_error, "PRF: EVP_MAC_init");
    }
    _len = hash_len(hash);
    _fresh = true;
    return Status::success();
  }

  // Starts a new MAC under the same key (the key's pads are kept by libcrypto).
  bool restart() {
    if (_fresh) {
      _fresh = false;
      return true;
    }
    return EVP_MAC_init(_ctx, nullptr, 0, nullptr) == 1;
  }
  bool update(std::span<const uint8_t> data) {
    return data.empty() || EVP_MAC_update(_ctx, data.data(), data.size()) == 1;
  }
  bool final(uint8_t* out) {
    size_t out_len = 0;
    return EVP_MAC_final(_ctx, out, &out_len, max_hash_len) == 1 && out_len == _len;
  }
  size_t len() const { return _len; }

 private:
  static EVP_MAC_CTX* context(HashAlgorithm hash) {
    thread_local EvpMacCtxPtr contexts[3];
    EvpMacCtxPtr& c = contexts[static_cast<size_t>(hash)];
    if (!c) {
      if (hmac_method() == nullptr) return nullptr;
      EvpMacCtxPtr ctx(EVP_MAC_CTX_new(hmac_method()));
      const std::string_view name = hash_name(hash);
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(name.data()), name.size()),
          OSSL_PARAM_construct_end(),
      };
      if (!ctx || EVP_MAC_CTX_set_params(ctx.get(), params) != 1) return nullptr;
      c = std::move(ctx);
    }
    return c.get();
  }

  EVP_MAC_CTX* _ctx = nullptr;
  size_t _len = 0;
  bool _fresh = false;
};

}  // namespace

Status prf(HashAlgorithm hash, std::span<const uint8_t> secret, std::string_view label,
           std::span<const uint8_t> seed_a, std::span<const uint8_t> seed_b, std::span<uint8_t> out) {
  Hmac hmac;
  if (Status s = hmac.init(hash, secret); !s) return s;
  const std::span<const uint8_t> label_bytes(reinterpret_cast<const uint8_t*>(label.data()), label.size());
  const size_t block_len = hmac.len();

  uint8_t a[max_hash_len];      // A(i)
  uint8_t block[max_hash_len];  // HMAC(secret, A(i) + seed)
  bool ok = hmac.restart() && hmac.update(label_bytes) && hmac.update(seed_a) && hmac.update(seed_b) &&
            hmac.final(a);
  size_t done = 0;
  while (ok && done < out.size()) {
    ok = hmac.restart() && hmac.update({a, block_len}) && hmac.update(label_bytes) && hmac.update(seed_a) &&
         hmac.update(seed_b) && hmac.final(block);
    if (!ok) break;
    const size_t n = std::min(block_len, out.size() - done);
    std::copy_n(block, n, out.begin() + static_cast<std::ptrdiff_t>(done));
    done += n;
    if (done < out.size()) ok = hmac.restart() && hmac.update({a, block_len}) && hmac.final(a);
  }
  secure_wipe(a, sizeof a);
  secure_wipe(block, sizeof block);
  if (!ok) {
    secure_wipe(out.data(), out.size());
    return openssl_error(Alert::internal_error, "PRF: HMAC failed");
  }
  return Status::success();
}

}  // namespace tlsburst::handshake
