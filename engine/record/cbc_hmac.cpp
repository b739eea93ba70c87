#include "engine/record/cbc_hmac.hpp"

#include <intel-ipsec-mb.h>

#include <cstring>

#include "engine/common/secret.hpp"

namespace tlsburst::record {

void expand_cbc_hmac_keys(CbcHmacKeys& out, const SuiteInfo& info, const DirectionKeys& keys, IMB_MGR* mgr) {
  if (info.key_len == 16) {
    IMB_AES_KEYEXP_128(mgr, keys.key.data(), out.enc_round_keys, out.dec_round_keys);
  } else {
    IMB_AES_KEYEXP_256(mgr, keys.key.data(), out.enc_round_keys, out.dec_round_keys);
  }
  // HMAC (RFC 2104): the key, zero-padded to the hash block, xor ipad / opad, hashed once.
  const size_t block_len = info.mac == MacAlgorithm::hmac_sha384 ? 128 : 64;
  alignas(16) uint8_t ipad[128];
  alignas(16) uint8_t opad[128];
  std::memset(ipad, 0x36, block_len);
  std::memset(opad, 0x5c, block_len);
  for (size_t i = 0; i < info.mac_key_len; ++i) {
    ipad[i] ^= keys.mac_key[i];
    opad[i] ^= keys.mac_key[i];
  }
  switch (info.mac) {
    case MacAlgorithm::hmac_sha1:
      IMB_SHA1_ONE_BLOCK(mgr, ipad, out.ipad_state);
      IMB_SHA1_ONE_BLOCK(mgr, opad, out.opad_state);
      break;
    case MacAlgorithm::hmac_sha256:
      IMB_SHA256_ONE_BLOCK(mgr, ipad, out.ipad_state);
      IMB_SHA256_ONE_BLOCK(mgr, opad, out.opad_state);
      break;
    case MacAlgorithm::hmac_sha384:
      IMB_SHA384_ONE_BLOCK(mgr, ipad, out.ipad_state);
      IMB_SHA384_ONE_BLOCK(mgr, opad, out.opad_state);
      break;
    case MacAlgorithm::none:
      break;
  }
  secure_wipe(ipad, sizeof ipad);
  secure_wipe(opad, sizeof opad);
}

class CbcEngine {};

void CbcEngineDeleter::operator()(CbcEngine* e) const noexcept { delete e; }

Result<CbcEnginePtr> make_cbc_engine(IMB_MGR*) { return CbcEnginePtr(new CbcEngine()); }

// Placeholder until the CBC record path lands (issue 3): CBC records are refused, never passed
// through unprotected.
void cbc_process(CbcEngine&, IMB_MGR*, RecordOp* const* ops, size_t n) noexcept {
  for (size_t i = 0; i < n; ++i) ops[i]->status = RecordStatus::invalid_state;
}

}  // namespace tlsburst::record
