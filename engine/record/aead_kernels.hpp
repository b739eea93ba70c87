// Internal: the ipsec-mb cipher kernels that run framed AEAD records.
#pragma once

#include <intel-ipsec-mb.h>

#include <cstddef>

#include "engine/record/burst_item.hpp"

namespace tlsburst::record {

// Direct single-buffer calls for one framed item. Seal writes the tag to item.tag; open writes the
// computed tag to item.computed_tag. Sets item.kernel_ok.
template <bool Seal>
inline void gcm_direct(IMB_MGR* mgr, BurstItem& it, bool aes128) noexcept {
  alignas(64) struct gcm_context_data ctx;
  const struct gcm_key_data* key = &it.state->keys.gcm;
  if constexpr (Seal) {
    if (aes128) {
      IMB_AES128_GCM_ENC(mgr, key, &ctx, it.payload, it.payload, it.payload_len, it.nonce, it.aad, it.aad_len,
                         it.tag, 16);
    } else {
      IMB_AES256_GCM_ENC(mgr, key, &ctx, it.payload, it.payload, it.payload_len, it.nonce, it.aad, it.aad_len,
                         it.tag, 16);
    }
  } else {
    if (aes128) {
      IMB_AES128_GCM_DEC(mgr, key, &ctx, it.payload, it.payload, it.payload_len, it.nonce, it.aad, it.aad_len,
                         it.computed_tag, 16);
    } else {
      IMB_AES256_GCM_DEC(mgr, key, &ctx, it.payload, it.payload, it.payload_len, it.nonce, it.aad, it.aad_len,
                         it.computed_tag, 16);
    }
  }
  it.kernel_ok = mgr->imb_errno == 0;
}

template <bool Seal>
inline void chacha_direct(IMB_MGR* mgr, BurstItem& it) noexcept {
  alignas(64) struct chacha20_poly1305_context_data ctx;
  const void* key = it.state->keys.chacha.key;
  IMB_CHACHA20_POLY1305_INIT(mgr, key, &ctx, it.nonce, it.aad, it.aad_len);
  if constexpr (Seal) {
    IMB_CHACHA20_POLY1305_ENC_UPDATE(mgr, key, &ctx, it.payload, it.payload, it.payload_len);
    IMB_CHACHA20_POLY1305_ENC_FINALIZE(mgr, &ctx, it.tag, 16);
  } else {
    IMB_CHACHA20_POLY1305_DEC_UPDATE(mgr, key, &ctx, it.payload, it.payload, it.payload_len);
    IMB_CHACHA20_POLY1305_DEC_FINALIZE(mgr, &ctx, it.computed_tag, 16);
  }
  it.kernel_ok = mgr->imb_errno == 0;
}

// The burst job API over `n` items (all seal or all open, as `seal` says).
void gcm_run_burst(IMB_MGR* mgr, BurstItem* const* items, size_t n, bool seal) noexcept;
void chacha_run_burst(IMB_MGR* mgr, BurstItem* const* items, size_t n, bool seal) noexcept;

}  // namespace tlsburst::record
