#include "engine/record/cbc_kernels.hpp"

#include <intel-ipsec-mb.h>

#include <cstring>

namespace tlsburst::record {

namespace {

IMB_HASH_ALG imb_hash(MacAlgorithm mac) {
  switch (mac) {
    case MacAlgorithm::hmac_sha1: return IMB_AUTH_HMAC_SHA_1;
    case MacAlgorithm::hmac_sha256: return IMB_AUTH_HMAC_SHA_256;
    case MacAlgorithm::hmac_sha384: return IMB_AUTH_HMAC_SHA_384;
    case MacAlgorithm::none: break;
  }
  return IMB_AUTH_NULL;
}

uint64_t full_mac_len(MacAlgorithm mac) {
  switch (mac) {
    case MacAlgorithm::hmac_sha1: return 20;
    case MacAlgorithm::hmac_sha256: return 32;
    case MacAlgorithm::hmac_sha384: return 48;
    case MacAlgorithm::none: break;
  }
  return 0;
}

// Marks the outcome of a submitted burst on its tasks (through user_data -> the task's ok flag).
void settle(IMB_MGR* mgr, IMB_JOB* jobs, uint32_t count, uint32_t completed) {
  const bool refused = completed != count || imb_get_errno(mgr) != 0;
  for (uint32_t j = 0; j < count; ++j) {
    bool* ok = static_cast<bool*>(jobs[j].user_data);
    if (refused || jobs[j].status != IMB_STATUS_COMPLETED) *ok = false;
  }
}

}  // namespace

void cbc_run_hashes(IMB_MGR* mgr, IMB_JOB* jobs, const CbcHashTask* tasks, size_t n) noexcept {
  for (MacAlgorithm mac : {MacAlgorithm::hmac_sha1, MacAlgorithm::hmac_sha256, MacAlgorithm::hmac_sha384}) {
    uint32_t count = 0;
    for (size_t i = 0; i < n; ++i) {
      const CbcHashTask& t = tasks[i];
      if (t.mac != mac) continue;
      IMB_JOB& job = jobs[count++];
      std::memset(&job, 0, sizeof job);
      job.cipher_mode = IMB_CIPHER_NULL;
      job.hash_alg = imb_hash(mac);
      job.chain_order = IMB_ORDER_HASH_CIPHER;
      job.src = t.src;
      job.hash_start_src_offset_in_bytes = 0;
      job.msg_len_to_hash_in_bytes = t.len;
      job.auth_tag_output = t.tag;
      job.auth_tag_output_len_in_bytes = full_mac_len(mac);
      job.u.HMAC._hashed_auth_key_xor_ipad = t.keys->ipad_state;
      job.u.HMAC._hashed_auth_key_xor_opad = t.keys->opad_state;
      job.user_data = t.ok;
    }
    if (count == 0) continue;
    const uint32_t completed = IMB_SUBMIT_HASH_BURST(mgr, jobs, count, imb_hash(mac));
    settle(mgr, jobs, count, completed);
  }
}

void cbc_run_ciphers(IMB_MGR* mgr, IMB_JOB* jobs, const CbcCipherTask* tasks, size_t n) noexcept {
  for (const bool encrypt : {true, false}) {
    for (const uint8_t key_len : {uint8_t{16}, uint8_t{32}}) {
      const IMB_CIPHER_DIRECTION dir = encrypt ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
      const IMB_KEY_SIZE_BYTES key_size = key_len == 16 ? IMB_KEY_128_BYTES : IMB_KEY_256_BYTES;
      uint32_t count = 0;
      for (size_t i = 0; i < n; ++i) {
        const CbcCipherTask& t = tasks[i];
        if (t.encrypt != encrypt || t.key_len != key_len) continue;
        IMB_JOB& job = jobs[count++];
        std::memset(&job, 0, sizeof job);
        job.cipher_mode = IMB_CIPHER_CBC;
        job.cipher_direction = dir;
        job.hash_alg = IMB_AUTH_NULL;
        job.chain_order = encrypt ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
        job.enc_keys = t.keys->enc_round_keys;
        job.dec_keys = t.keys->dec_round_keys;
        job.key_len_in_bytes = key_size;
        job.src = t.src;
        job.dst = t.dst;
        job.cipher_start_src_offset_in_bytes = 0;
        job.msg_len_to_cipher_in_bytes = t.len;
        job.iv = t.iv;
        job.iv_len_in_bytes = 16;
        job.user_data = t.ok;
      }
      if (count == 0) continue;
      const uint32_t completed = IMB_SUBMIT_CIPHER_BURST(mgr, jobs, count, IMB_CIPHER_CBC, dir, key_size);
      settle(mgr, jobs, count, completed);
    }
  }
}

}  // namespace tlsburst::record
