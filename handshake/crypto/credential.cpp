#include "handshake/crypto/credential.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "handshake/crypto/signature.hpp"

namespace tlsburst::handshake {

namespace {

using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO, BIO_free_all>>;

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

}  // namespace

Result<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Alert::internal_error, "cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::shared_ptr<const Credential>> Credential::load_pem_files(const std::string& chain_pem,
                                                                     const std::string& key_pem) {
  auto chain = read_text_file(chain_pem);
  if (!chain) return chain.error();
  auto key = read_text_file(key_pem);
  if (!key) return key.error();
  return from_pem(*chain, *key);
}

Result<std::shared_ptr<const Credential>> Credential::from_pem(std::string_view chain_pem, std::string_view key_pem) {
  std::shared_ptr<Credential> c(new Credential());
  BioPtr chain_bio = memory_bio(chain_pem);
  X509Ptr leaf;
  while (true) {
    X509* raw = PEM_read_bio_X509(chain_bio.get(), nullptr, nullptr, nullptr);
    if (raw == nullptr) break;
    X509Ptr cert(raw);
    const int len = i2d_X509(cert.get(), nullptr);
    if (len <= 0) return openssl_error(Alert::internal_error, "credential: i2d_X509");
    std::vector<uint8_t> der(static_cast<size_t>(len));
    uint8_t* p = der.data();
    i2d_X509(cert.get(), &p);
    c->_chain.push_back(std::move(der));
    if (!leaf) leaf = std::move(cert);
  }
  clear_openssl_errors();  // the loop ends on "no start line"
  if (!leaf) return make_error(Alert::internal_error, "credential: no certificate in the chain PEM");

  BioPtr key_bio = memory_bio(key_pem);
  c->_key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!c->_key) return openssl_error(Alert::internal_error, "credential: cannot read the private key");
  if (X509_check_private_key(leaf.get(), c->_key.get()) != 1) {
    return openssl_error(Alert::internal_error, "credential: private key does not match the certificate");
  }
  const auto type = key_type_of(c->_key.get());
  if (!type) return make_error(Alert::internal_error, "credential: unsupported key type (RSA or EC only)");
  c->_key_type = *type;
  if (*type == KeyType::ecdsa) {
    char name[64] = {};
    size_t name_len = 0;
    if (EVP_PKEY_get_utf8_string_param(c->_key.get(), OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &name_len) != 1) {
      return openssl_error(Alert::internal_error, "credential: EC key without a named curve");
    }
    const std::string_view n(name, name_len);
    if (n == "prime256v1" || n == "P-256") {
      c->_curve = NamedGroup::secp256r1;
    } else if (n == "secp384r1" || n == "P-384") {
      c->_curve = NamedGroup::secp384r1;
    } else {
      return make_error(Alert::internal_error, "credential: EC curve not supported: " + std::string(n));
    }
  }
  return std::shared_ptr<const Credential>(std::move(c));
}

bool Credential::supports(SignatureScheme scheme) const noexcept {
  return signature_scheme_info(scheme).key_type == _key_type;  // the type is known: no libcrypto look-up
}

}  // namespace tlsburst::handshake
