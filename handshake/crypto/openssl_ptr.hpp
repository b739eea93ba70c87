// Owning smart pointers for libcrypto objects, and the conversion of libcrypto's error queue
// into a tlsburst Error.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string_view>

#include "engine/common/result.hpp"

namespace tlsburst::handshake {

template <class T, void (*Free)(T*)>
struct OpensslDeleter {
  void operator()(T* p) const noexcept { Free(p); }
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX, EVP_MD_CTX_free>>;
using EvpMacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OpensslDeleter<EVP_MAC_CTX, EVP_MAC_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509, X509_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpensslDeleter<X509_STORE, X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpensslDeleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

inline EvpPkeyPtr up_ref(EVP_PKEY* p) {
  EVP_PKEY_up_ref(p);
  return EvpPkeyPtr(p);
}

// An Error with `alert` whose message is `what` followed by libcrypto's queued errors (the queue
// is cleared).
Error openssl_error(Alert alert, std::string_view what);

// Empties libcrypto's error queue of this thread (after an expected failure).
void clear_openssl_errors() noexcept;

}  // namespace tlsburst::handshake
