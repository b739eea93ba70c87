#include "handshake/crypto/rsa_key_exchange.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "engine/common/secret.hpp"
#include "handshake/crypto/openssl_ptr.hpp"
#include "handshake/crypto/random.hpp"

namespace tlsburst::handshake {

Result<PreMasterSecret> rsa_decrypt_premaster(EVP_PKEY* private_key, std::span<const uint8_t> encrypted,
                                              uint16_t client_hello_version) {
  // The fallback premaster, chosen before decrypting (RFC 5246 7.4.7.1 step 1).
  PreMasterSecret fallback;
  std::span<uint8_t> fb = fallback.prepare(rsa_premaster_len);
  if (Status s = random_bytes(fb); !s) return s.error();

  PreMasterSecret pms;
  std::span<uint8_t> out = pms.prepare(rsa_premaster_len);
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, private_key, nullptr));
  unsigned int client_version = client_hello_version;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_uint(OSSL_ASYM_CIPHER_PARAM_TLS_CLIENT_VERSION, &client_version),
      OSSL_PARAM_construct_end(),
  };
  size_t out_len = out.size();
  // With RSA_PKCS1_WITH_TLS_PADDING libcrypto returns 48 bytes whatever the padding and version
  // hold (random ones when they are wrong), in constant time.
  const bool decrypted = ctx && EVP_PKEY_decrypt_init(ctx.get()) == 1 &&
                         EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_WITH_TLS_PADDING) == 1 &&
                         EVP_PKEY_CTX_set_params(ctx.get(), params) == 1 &&
                         EVP_PKEY_decrypt(ctx.get(), out.data(), &out_len, encrypted.data(), encrypted.size()) == 1 &&
                         out_len == rsa_premaster_len;
  // A failure here depends only on public data (the ciphertext's length or range): continue with
  // the fallback, exactly as a padding failure would.
  if (!decrypted) {
    clear_openssl_errors();
    return fallback;
  }
  return pms;
}

Result<RsaEncryptedPremaster> rsa_encrypt_premaster(EVP_PKEY* server_key, uint16_t client_hello_version) {
  if (!EVP_PKEY_is_a(server_key, "RSA")) {
    return make_error(Alert::handshake_failure, "RSA key exchange: server key is not RSA");
  }
  RsaEncryptedPremaster out;
  std::span<uint8_t> pms = out.premaster.prepare(rsa_premaster_len);
  if (Status s = random_bytes(pms); !s) return s.error();
  pms[0] = static_cast<uint8_t>(client_hello_version >> 8);
  pms[1] = static_cast<uint8_t>(client_hello_version);

  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, server_key, nullptr));
  size_t len = 0;
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_encrypt(ctx.get(), nullptr, &len, pms.data(), pms.size()) != 1) {
    return openssl_error(Alert::internal_error, "RSA key exchange: encrypt init");
  }
  out.encrypted.resize(len);
  if (EVP_PKEY_encrypt(ctx.get(), out.encrypted.data(), &len, pms.data(), pms.size()) != 1) {
    return openssl_error(Alert::internal_error, "RSA key exchange: encrypt");
  }
  out.encrypted.resize(len);
  return out;
}

}  // namespace tlsburst::handshake
