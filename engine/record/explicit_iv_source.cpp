#include "engine/record/explicit_iv_source.hpp"

#include <intel-ipsec-mb.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "engine/common/secret.hpp"

namespace tlsburst::record {

namespace {

bool kernel_random(uint8_t* out, size_t len) noexcept {
  size_t done = 0;
  while (done < len) {
    const ssize_t got = getrandom(out + done, len - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

ExplicitIvSource::ExplicitIvSource(IMB_MGR* mgr, uint64_t reseed_blocks) noexcept
    : _mgr(mgr), _reseed_blocks(reseed_blocks == 0 ? 1 : reseed_blocks) {}

ExplicitIvSource::~ExplicitIvSource() {
  secure_wipe(_enc_keys, sizeof _enc_keys);
  secure_wipe(_dec_keys, sizeof _dec_keys);
  secure_wipe(_counter, sizeof _counter);
  secure_wipe(_pool, sizeof _pool);
}

Status ExplicitIvSource::init() noexcept {
  if (!seed()) return make_error(Alert::internal_error, "explicit IV source: getrandom failed");
  if (!refill()) return make_error(Alert::internal_error, "explicit IV source: AES-CTR keystream failed");
  _ready = true;
  return Status::success();
}

bool ExplicitIvSource::set_key(const uint8_t* key) noexcept {
  IMB_AES_KEYEXP_256(_mgr, key, _enc_keys, _dec_keys);
  return imb_get_errno(_mgr) == 0;
}

bool ExplicitIvSource::seed() noexcept {
  alignas(16) uint8_t fresh[update_len];
  const bool ok = kernel_random(fresh, sizeof fresh) && set_key(fresh);
  if (ok) {
    std::memcpy(_counter, fresh + 32, sizeof _counter);
    _blocks_since_seed = 0;
    ++_num_seeds;
  }
  secure_wipe(fresh, sizeof fresh);
  return ok;
}

bool ExplicitIvSource::refill() noexcept {
  if (_blocks_since_seed >= _reseed_blocks && !seed()) return false;
  std::memset(_pool, 0, sizeof _pool);
  IMB_JOB job;
  std::memset(&job, 0, sizeof job);
  job.cipher_mode = IMB_CIPHER_CNTR;
  job.cipher_direction = IMB_DIR_ENCRYPT;
  job.chain_order = IMB_ORDER_CIPHER_HASH;
  job.hash_alg = IMB_AUTH_NULL;
  job.enc_keys = _enc_keys;
  job.dec_keys = _enc_keys;
  job.key_len_in_bytes = IMB_KEY_256_BYTES;
  job.src = _pool;
  job.dst = _pool;
  job.cipher_start_src_offset_in_bytes = 0;
  job.msg_len_to_cipher_in_bytes = sizeof _pool;
  job.iv = _counter;
  job.iv_len_in_bytes = sizeof _counter;
  const uint32_t done = IMB_SUBMIT_CIPHER_BURST(_mgr, &job, 1, IMB_CIPHER_CNTR, IMB_DIR_ENCRYPT, IMB_KEY_256_BYTES);
  if (done != 1 || job.status != IMB_STATUS_COMPLETED) {
    secure_wipe(_pool, sizeof _pool);
    _pos = pool_len;
    return false;
  }
  _blocks_since_seed += sizeof _pool / 16;
  // CTR_DRBG update: the keystream after the pool becomes the next key and counter.
  const bool keyed = set_key(_pool + pool_len);
  std::memcpy(_counter, _pool + pool_len + 32, sizeof _counter);
  secure_wipe(_pool + pool_len, update_len);
  if (!keyed) {
    secure_wipe(_pool, sizeof _pool);
    _pos = pool_len;
    return false;
  }
  _pos = 0;
  ++_num_refills;
  return true;
}

bool ExplicitIvSource::take(uint8_t* out, size_t len) noexcept {
  if (!_ready || len > pool_len) return false;
  if (pool_len - _pos < len && !refill()) return false;
  std::memcpy(out, _pool + _pos, len);
  secure_wipe(_pool + _pos, len);  // handed out once; the state never holds past output
  _pos += len;
  return true;
}

}  // namespace tlsburst::record
