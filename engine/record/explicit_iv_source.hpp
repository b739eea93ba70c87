// Unpredictable bytes for the explicit per-record CBC IVs of TLS 1.2 (RFC 5246 6.2.3.2) and for
// randomised padding lengths, without a system call per record.
//
// This is NIST SP 800-90A CTR_DRBG (AES-256, no derivation function) composed from vetted
// primitives: ipsec-mb's AES-256-CTR generates the output in bulk (pool_len bytes per refill, i.e.
// at most once per burst), the 48 bytes after each pool's output become the next key and counter
// (the CTR_DRBG update step, so a leaked state does not reveal earlier output), and the generator
// is reseeded from getrandom(2) at creation and after reseed_blocks blocks of output. It is not a
// hand-rolled generator. All state is wiped on destruction.
//
// One instance per RecordProcessor, used only by the thread that owns it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/common/result.hpp"

struct IMB_MGR;

namespace tlsburst::record {

class ExplicitIvSource {
 public:
  static constexpr size_t pool_len = 4096;
  static constexpr uint64_t default_reseed_blocks = uint64_t{1} << 20;

  // `mgr` runs the AES-CTR keystream; it must outlive this object.
  explicit ExplicitIvSource(IMB_MGR* mgr, uint64_t reseed_blocks = default_reseed_blocks) noexcept;
  ExplicitIvSource(const ExplicitIvSource&) = delete;
  ExplicitIvSource& operator=(const ExplicitIvSource&) = delete;
  ~ExplicitIvSource();

  // Seeds from getrandom(2) and fills the pool; call once before take().
  Status init() noexcept;

  // Copies `len` (at most pool_len) fresh bytes to `out`; every byte is handed out once. Returns
  // false, writing nothing usable, when the generator cannot be (re)seeded or run.
  [[nodiscard]] bool take(uint8_t* out, size_t len) noexcept;

  // For tests: how many times the generator was seeded from the kernel, and pool refills.
  uint64_t num_seeds() const noexcept { return _num_seeds; }
  uint64_t num_refills() const noexcept { return _num_refills; }

 private:
  static constexpr size_t update_len = 48;  // next key (32) and counter block (16)

  bool seed() noexcept;
  bool refill() noexcept;
  bool set_key(const uint8_t* key) noexcept;

  IMB_MGR* _mgr;
  uint64_t _reseed_blocks;
  uint64_t _blocks_since_seed = 0;
  uint64_t _num_seeds = 0;
  uint64_t _num_refills = 0;
  size_t _pos = pool_len;  // next unused byte of _pool
  bool _ready = false;
  alignas(16) uint8_t _enc_keys[16 * 15];
  alignas(16) uint8_t _dec_keys[16 * 15];  // written by the key expansion, unused
  alignas(16) uint8_t _counter[16];
  alignas(64) uint8_t _pool[pool_len + update_len];
};

}  // namespace tlsburst::record
