#include "handshake/crypto/random.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>

#include "engine/common/secret.hpp"
#include "handshake/crypto/openssl_ptr.hpp"

namespace tlsburst::handshake {

namespace {

// Small requests (hello randoms, premasters) are served from a per-thread block drawn from
// libcrypto's DRBG in one call: each RAND_bytes call costs more than the bytes themselves. Served
// bytes are wiped from the block.
struct RandomPool {
  std::array<uint8_t, 1024> bytes{};
  size_t used = bytes.size();
  ~RandomPool() { secure_wipe_object(bytes); }
};

constexpr size_t pooled_request_limit = 64;

}  // namespace

Status random_bytes(std::span<uint8_t> out) {
  if (out.empty()) return Status::success();
  if (out.size() > pooled_request_limit) {
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
      return openssl_error(Alert::internal_error, "RAND_bytes");
    }
    return Status::success();
  }
  thread_local RandomPool pool;
  if (pool.bytes.size() - pool.used < out.size()) {
    if (RAND_bytes(pool.bytes.data(), static_cast<int>(pool.bytes.size())) != 1) {
      return openssl_error(Alert::internal_error, "RAND_bytes");
    }
    pool.used = 0;
  }
  uint8_t* from = pool.bytes.data() + pool.used;
  std::copy_n(from, out.size(), out.begin());
  secure_wipe(from, out.size());
  pool.used += out.size();
  return Status::success();
}

}  // namespace tlsburst::handshake
