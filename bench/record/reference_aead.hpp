// The reference backend of the benchmark: OpenSSL AEAD seal/open of whole TLS records, with its
// own EVP context (no state shared with any contender). It seals the rings that the open
// benchmarks decrypt and checks, after timing, what every seal contender produced, so that a
// contender computing a wrong nonce, AAD or tag fails its benchmark instead of looking fast.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>

#include "bench/record/bench_keys.hpp"

namespace tlsburst::bench {

class ReferenceAead {
 public:
  explicit ReferenceAead(const BenchKeys& keys);

  // Seals the plaintext at record + header_room(suite) in place with sequence number `seq`.
  // Returns the record length, or 0 on failure.
  uint32_t seal(uint64_t seq, uint8_t* record, uint32_t plaintext_len);

  // Opens record[0, record_len) (left untouched) with sequence number `seq`; on success writes
  // the plaintext to `plaintext` (room for record_len bytes) and returns its length, else -1.
  int32_t open(uint64_t seq, const uint8_t* record, uint32_t record_len, uint8_t* plaintext);

 private:
  struct CtxFree {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
  };
  bool aead(bool seal, const uint8_t* nonce, const uint8_t* aad, uint32_t aad_len, const uint8_t* in,
            uint32_t len, uint8_t* out, uint8_t* tag);

  BenchKeys _keys;
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> _ctx;
};

}  // namespace tlsburst::bench
