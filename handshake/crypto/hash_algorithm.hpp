// The hash functions of the TLS 1.2 key schedule and transcript (the suite's PRF hash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

typedef struct evp_md_st EVP_MD;

namespace tlsburst::handshake {

enum class HashAlgorithm : uint8_t { sha256, sha384, sha512 };

inline constexpr size_t max_hash_len = 64;

constexpr size_t hash_len(HashAlgorithm h) {
  switch (h) {
    case HashAlgorithm::sha256: return 32;
    case HashAlgorithm::sha384: return 48;
    case HashAlgorithm::sha512: return 64;
  }
  return 0;
}

constexpr std::string_view hash_name(HashAlgorithm h) {
  switch (h) {
    case HashAlgorithm::sha256: return "SHA256";
    case HashAlgorithm::sha384: return "SHA384";
    case HashAlgorithm::sha512: return "SHA512";
  }
  return "";
}

// The libcrypto digest, fetched once per process and shared (EVP_MD objects are immutable).
const EVP_MD* evp_md(HashAlgorithm h);

}  // namespace tlsburst::handshake
