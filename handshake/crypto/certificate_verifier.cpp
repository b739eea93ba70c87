#include "handshake/crypto/certificate_verifier.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "handshake/crypto/credential.hpp"
#include "handshake/extensions/server_name.hpp"

namespace tlsburst::handshake {

namespace {

using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO, BIO_free_all>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), decltype([](STACK_OF(X509)* s) { sk_X509_pop_free(s, X509_free); })>;

}  // namespace

Alert alert_for_verify_error(int e) {
  switch (e) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_INVALID_CA:
      return Alert::unknown_ca;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CRL_HAS_EXPIRED:
      return Alert::certificate_expired;
    case X509_V_ERR_CERT_REVOKED:
      return Alert::certificate_revoked;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
      return Alert::decrypt_error;
    case X509_V_ERR_INVALID_PURPOSE:
      return Alert::unsupported_certificate;
    case X509_V_ERR_OUT_OF_MEM:
      return Alert::internal_error;
    default:
      return Alert::bad_certificate;  // host name mismatch, not yet valid, malformed, ...
  }
}

Result<std::shared_ptr<const CertificateVerifier>> CertificateVerifier::from_ca_file(const std::string& path) {
  auto pem = read_text_file(path);
  if (!pem) return pem.error();
  return from_ca_pem(*pem);
}

Result<std::shared_ptr<const CertificateVerifier>> CertificateVerifier::from_ca_pem(std::string_view pem) {
  std::shared_ptr<CertificateVerifier> v(new CertificateVerifier());
  v->_store.reset(X509_STORE_new());
  if (!v->_store) return openssl_error(Alert::internal_error, "verifier: X509_STORE_new");
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  size_t num_cas = 0;
  while (X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509Ptr ca(raw);
    if (X509_STORE_add_cert(v->_store.get(), ca.get()) != 1) {
      return openssl_error(Alert::internal_error, "verifier: X509_STORE_add_cert");
    }
    const X509_NAME* subject = X509_get_subject_name(ca.get());
    const int len = i2d_X509_NAME(subject, nullptr);
    if (len > 0) {
      std::vector<uint8_t> der(static_cast<size_t>(len));
      uint8_t* p = der.data();
      i2d_X509_NAME(subject, &p);
      v->_ca_names.push_back(std::move(der));
    }
    ++num_cas;
  }
  clear_openssl_errors();
  if (num_cas == 0) return make_error(Alert::internal_error, "verifier: no CA certificate in the PEM");
  return std::shared_ptr<const CertificateVerifier>(std::move(v));
}

Result<EvpPkeyPtr> CertificateVerifier::leaf_public_key(std::span<const uint8_t> der) {
  const uint8_t* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size()) {
    return openssl_error(Alert::bad_certificate, "certificate is not valid DER");
  }
  EvpPkeyPtr key(X509_get_pubkey(cert.get()));
  if (!key) return openssl_error(Alert::bad_certificate, "leaf has no usable public key");
  return key;
}

Result<EvpPkeyPtr> CertificateVerifier::verify(std::span<const std::span<const uint8_t>> chain, PeerPurpose purpose,
                                               std::string_view host_name) const {
  if (chain.empty()) return make_error(Alert::bad_certificate, "verifier: empty certificate chain");
  X509StackPtr untrusted(sk_X509_new_null());
  X509Ptr leaf;
  for (size_t i = 0; i < chain.size(); ++i) {
    const uint8_t* p = chain[i].data();
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(chain[i].size())));
    if (!cert || p != chain[i].data() + chain[i].size()) {
      return openssl_error(Alert::bad_certificate, "verifier: certificate is not valid DER");
    }
    if (i == 0) {
      leaf = std::move(cert);
    } else if (sk_X509_push(untrusted.get(), cert.get()) > 0) {
      cert.release();  // owned by the stack now
    } else {
      return openssl_error(Alert::internal_error, "verifier: sk_X509_push");
    }
  }
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), _store.get(), leaf.get(), untrusted.get()) != 1) {
    return openssl_error(Alert::internal_error, "verifier: X509_STORE_CTX_init");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_purpose(param, purpose == PeerPurpose::server ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT);
  if (!host_name.empty() && is_ip_literal(host_name)) {
    if (X509_VERIFY_PARAM_set1_ip_asc(param, std::string(host_name).c_str()) != 1) {
      return openssl_error(Alert::internal_error, "verifier: set1_ip_asc");
    }
  } else if (!host_name.empty()) {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (X509_VERIFY_PARAM_set1_host(param, host_name.data(), host_name.size()) != 1) {
      return openssl_error(Alert::internal_error, "verifier: set1_host");
    }
  }
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    clear_openssl_errors();
    return make_error(alert_for_verify_error(err),
                      std::string("certificate verification failed: ") + X509_verify_cert_error_string(err));
  }
  EvpPkeyPtr key(X509_get_pubkey(leaf.get()));
  if (!key) return openssl_error(Alert::bad_certificate, "verifier: leaf has no usable public key");
  return key;
}

}  // namespace tlsburst::handshake
