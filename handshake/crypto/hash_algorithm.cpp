#include "handshake/crypto/hash_algorithm.hpp"

#include <openssl/evp.h>

namespace tlsburst::handshake {

namespace {

// Fetched once and kept for the life of the process (a reachable static, not a leak): implicit
// fetches (EVP_sha256()) would look the provider up on every init.
struct FetchedDigests {
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD* sha384 = EVP_MD_fetch(nullptr, "SHA384", nullptr);
  EVP_MD* sha512 = EVP_MD_fetch(nullptr, "SHA512", nullptr);
};

}  // namespace

const EVP_MD* evp_md(HashAlgorithm h) {
  static const FetchedDigests digests;
  switch (h) {
    case HashAlgorithm::sha256: return digests.sha256;
    case HashAlgorithm::sha384: return digests.sha384;
    case HashAlgorithm::sha512: return digests.sha512;
  }
  return nullptr;
}

}  // namespace tlsburst::handshake
