// The expanded record-protection state of one direction of one session: key schedule, GCM hash
// keys or HMAC pads computed once at installation, the static IV and the sequence number.
//
// A DirectionState is owned by exactly one thread at a time (the core that owns the session);
// nothing in it is atomic. The control plane builds a new one with install_keys() on its own
// ipsec-mb manager and hands it over through the engine's rings.
#pragma once

#include <intel-ipsec-mb.h>

#include <cstdint>

#include "engine/common/result.hpp"
#include "engine/record/direction_keys.hpp"
#include "engine/record/imb_manager.hpp"
#include "engine/record/suite.hpp"

namespace tlsburst::record {

struct ChaChaKey {
  alignas(16) uint8_t key[32];
};

struct CbcHmacKeys {
  alignas(16) uint8_t enc_round_keys[16 * 15];
  alignas(16) uint8_t dec_round_keys[16 * 15];
  // HMAC key pads, hashed once: the compression-function state after the ipad / opad block, in
  // ipsec-mb's digest layout (what IMB_SHAx_ONE_BLOCK writes).
  alignas(16) uint8_t ipad_state[64];
  alignas(16) uint8_t opad_state[64];
};

struct alignas(64) DirectionState {
  Suite suite = Suite::tls13_aes_128_gcm_sha256;
  ImbArch arch = ImbArch::auto_detect;  // the path the keys were expanded for
  bool installed = false;
  bool encrypt_then_mac = false;  // CBC suites only
  alignas(16) uint8_t fixed_iv[16] = {};  // fixed_iv_len bytes used, zero after (one vector load)
  uint64_t seq = 0;        // next sequence number
  uint64_t seq_limit = 0;  // first sequence number that may not be used

  union Keys {
    Keys() {}
    struct gcm_key_data gcm;
    ChaChaKey chacha;
    CbcHmacKeys cbc;
  } keys;

  DirectionState() = default;
  DirectionState(const DirectionState&) = default;
  DirectionState& operator=(const DirectionState&) = default;
  ~DirectionState() { secure_wipe_object(*this); }

  // Records left before the usage limit.
  uint64_t remaining() const noexcept { return seq_limit - seq; }
};

// Expands `keys` into `state` with `mgr` (whose path the state is then bound to). Replaces and
// wipes whatever `state` held. Fails on sizes that do not match the suite.
Status install_keys(DirectionState& state, const DirectionKeys& keys, const ImbManager& mgr);

// Wipes all key material and marks the state uninstalled.
void wipe(DirectionState& state) noexcept;

}  // namespace tlsburst::record
