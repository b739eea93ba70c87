#include "engine/record/direction_state.hpp"

#include <cstring>
#include <string>

#include "engine/record/cbc_hmac.hpp"

namespace tlsburst::record {

void wipe(DirectionState& state) noexcept {
  secure_wipe_object(state.keys);
  secure_wipe(state.fixed_iv, sizeof state.fixed_iv);
  state.installed = false;
  state.seq = 0;
  state.seq_limit = 0;
}

Status install_keys(DirectionState& state, const DirectionKeys& keys, const ImbManager& mgr) {
  wipe(state);
  const SuiteInfo& info = suite_info(keys.suite);
  if (keys.key_len != info.key_len || keys.iv_len != info.fixed_iv_len ||
      keys.mac_key_len != info.mac_key_len) {
    return make_error(Alert::internal_error,
                      std::string("install_keys: key, IV or MAC key size does not match ") +
                          std::string(info.name));
  }
  if (keys.initial_seq >= info.max_records) {
    return make_error(Alert::internal_error, "install_keys: initial sequence number beyond the key's limit");
  }
  IMB_MGR* m = mgr.get();
  state.suite = keys.suite;
  state.arch = mgr.arch();
  state.encrypt_then_mac = keys.encrypt_then_mac;
  std::memcpy(state.fixed_iv, keys.iv.data(), info.fixed_iv_len);
  state.seq = keys.initial_seq;
  state.seq_limit = info.max_records;

  switch (info.family) {
    case CipherFamily::aes_gcm:
      if (info.key_len == 16) {
        IMB_AES128_GCM_PRE(m, keys.key.data(), &state.keys.gcm);
      } else {
        IMB_AES256_GCM_PRE(m, keys.key.data(), &state.keys.gcm);
      }
      break;
    case CipherFamily::chacha20_poly1305:
      std::memcpy(state.keys.chacha.key, keys.key.data(), 32);
      break;
    case CipherFamily::aes_cbc_hmac:
      expand_cbc_hmac_keys(state.keys.cbc, info, keys, m);
      break;
  }
  if (imb_get_errno(m) != 0) {
    wipe(state);
    return make_error(Alert::internal_error, std::string("install_keys: ipsec-mb: ") + imb_get_strerror(imb_get_errno(m)));
  }
  state.installed = true;
  return Status::success();
}

}  // namespace tlsburst::record
