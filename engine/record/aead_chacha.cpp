// ChaCha20-Poly1305 on ipsec-mb's burst job API (the direct kernel is inline in aead_kernels.hpp).
#include <intel-ipsec-mb.h>

#include <algorithm>

#include "engine/record/aead_kernels.hpp"
#include "engine/record/burst_collect.hpp"

namespace tlsburst::record {

namespace {
constexpr uint64_t tag_len = 16;
}  // namespace

void chacha_run_burst(IMB_MGR* mgr, BurstItem* const* items, size_t n, bool seal) noexcept {
  IMB_JOB* jobs[IMB_MAX_BURST_SIZE];
  size_t done = 0;
  while (done < n) {
    const uint32_t want = static_cast<uint32_t>(std::min<size_t>(n - done, IMB_MAX_BURST_SIZE));
    const uint32_t got = IMB_GET_NEXT_BURST(mgr, want, jobs);
    if (got == 0) {
      // No job slots (cannot happen with an empty queue): leave the rest marked as failed.
      for (size_t j = done; j < n; ++j) items[j]->kernel_ok = false;
      return;
    }
    for (uint32_t j = 0; j < got; ++j) {
      BurstItem& it = *items[done + j];
      IMB_JOB* job = jobs[j];
      job->cipher_mode = IMB_CIPHER_CHACHA20_POLY1305;
      job->hash_alg = IMB_AUTH_CHACHA20_POLY1305;
      job->cipher_direction = seal ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
      job->chain_order = seal ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
      job->enc_keys = it.state->keys.chacha.key;
      job->dec_keys = it.state->keys.chacha.key;
      job->key_len_in_bytes = 32;
      job->src = it.payload;
      job->dst = it.payload;
      job->cipher_start_src_offset_in_bytes = 0;
      job->msg_len_to_cipher_in_bytes = it.payload_len;
      job->hash_start_src_offset_in_bytes = 0;
      job->msg_len_to_hash_in_bytes = it.payload_len;
      job->iv = it.nonce;
      job->iv_len_in_bytes = 12;
      job->u.CHACHA20_POLY1305.aad = it.aad;
      job->u.CHACHA20_POLY1305.aad_len_in_bytes = it.aad_len;
      job->auth_tag_output = seal ? it.tag : it.computed_tag;
      job->auth_tag_output_len_in_bytes = tag_len;
      job->user_data = &it;
      it.kernel_ok = false;
    }
    collect_burst(mgr, jobs, got);
    done += got;
  }
}

}  // namespace tlsburst::record
