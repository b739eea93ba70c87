// Internal: the ipsec-mb multi-buffer lanes the CBC record path runs on: HMAC-SHA1/256/384 jobs
// through the hash burst API and AES-CBC jobs through the cipher burst API. Hash and cipher are
// always separate jobs (never ipsec-mb's chained CIPHER_HASH layout, which is ESP's
// encrypt-then-MAC): TLS decides the order per record.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/record/direction_state.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::record {

// HMAC over src[0, len) with the session's precomputed ipad/opad states; the full-length MAC goes
// to `tag`.
struct CbcHashTask {
  const uint8_t* src;
  uint8_t* tag;
  const CbcHmacKeys* keys;
  uint32_t len;
  MacAlgorithm mac;
  bool* ok;  // cleared when the job did not complete
};

// AES-CBC (no padding) of src[0, len) into dst (in place when equal), len a multiple of 16.
struct CbcCipherTask {
  const uint8_t* src;
  uint8_t* dst;
  const uint8_t* iv;
  const CbcHmacKeys* keys;
  uint32_t len;
  uint8_t key_len;  // 16 or 32
  bool encrypt;
  bool* ok;
};

// Run every task; `jobs` has room for n jobs. One burst per hash algorithm, or per key size and
// direction, as the burst API requires.
void cbc_run_hashes(IMB_MGR* mgr, IMB_JOB* jobs, const CbcHashTask* tasks, size_t n) noexcept;
void cbc_run_ciphers(IMB_MGR* mgr, IMB_JOB* jobs, const CbcCipherTask* tasks, size_t n) noexcept;

}  // namespace tlsburst::record
