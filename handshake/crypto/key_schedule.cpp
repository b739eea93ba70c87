#include "handshake/crypto/key_schedule.hpp"

#include <algorithm>

#include "engine/common/secret.hpp"
#include "handshake/crypto/prf.hpp"

namespace tlsburst::handshake {

PreMasterSecret::PreMasterSecret(PreMasterSecret&& other) noexcept : _bytes(other._bytes), _len(other._len) {
  secure_wipe_object(other._bytes);
  other._len = 0;
}

PreMasterSecret& PreMasterSecret::operator=(PreMasterSecret&& other) noexcept {
  if (this != &other) {
    _bytes = other._bytes;
    _len = other._len;
    secure_wipe_object(other._bytes);
    other._len = 0;
  }
  return *this;
}

PreMasterSecret::~PreMasterSecret() { secure_wipe_object(_bytes); }

std::span<uint8_t> PreMasterSecret::prepare(size_t len) noexcept {
  _len = std::min(len, max_len);
  return {_bytes.data(), _len};
}

MasterSecret::MasterSecret(MasterSecret&& other) noexcept : _prf_hash(other._prf_hash), _bytes(other._bytes) {
  secure_wipe_object(other._bytes);
}

MasterSecret& MasterSecret::operator=(MasterSecret&& other) noexcept {
  if (this != &other) {
    _prf_hash = other._prf_hash;
    _bytes = other._bytes;
    secure_wipe_object(other._bytes);
  }
  return *this;
}

MasterSecret::~MasterSecret() { secure_wipe_object(_bytes); }

Result<MasterSecret> MasterSecret::derive(HashAlgorithm prf_hash, PreMasterSecret&& pms, const Random& client_random,
                                          const Random& server_random) {
  const PreMasterSecret consumed = std::move(pms);  // wiped when this returns
  MasterSecret ms;
  ms._prf_hash = prf_hash;
  if (Status s = prf(prf_hash, consumed.bytes(), "master secret", client_random, server_random, ms._bytes); !s) {
    return s.error();
  }
  return ms;
}

Result<MasterSecret> MasterSecret::derive_extended(HashAlgorithm prf_hash, PreMasterSecret&& pms,
                                                   std::span<const uint8_t> session_hash) {
  const PreMasterSecret consumed = std::move(pms);
  MasterSecret ms;
  ms._prf_hash = prf_hash;
  if (Status s = prf(prf_hash, consumed.bytes(), "extended master secret", session_hash, {}, ms._bytes); !s) {
    return s.error();
  }
  return ms;
}

Result<TrafficKeys> MasterSecret::expand_traffic_keys(record::Suite suite, bool encrypt_then_mac,
                                                      const Random& client_random, const Random& server_random) const {
  const record::SuiteInfo& info = record::suite_info(suite);
  const size_t mac_len = info.mac_key_len, key_len = info.key_len, iv_len = info.fixed_iv_len;
  std::array<uint8_t, 2 * (48 + 32 + 12)> block{};
  const size_t block_len = 2 * (mac_len + key_len + iv_len);
  if (Status s = prf(_prf_hash, _bytes, "key expansion", server_random, client_random, {block.data(), block_len}); !s) {
    return s.error();
  }
  // client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key,
  // client_write_IV, server_write_IV (RFC 5246 6.3)
  const std::span<const uint8_t> b(block.data(), block_len);
  const auto client_mac = b.subspan(0, mac_len);
  const auto server_mac = b.subspan(mac_len, mac_len);
  const auto client_key = b.subspan(2 * mac_len, key_len);
  const auto server_key = b.subspan(2 * mac_len + key_len, key_len);
  const auto client_iv = b.subspan(2 * (mac_len + key_len), iv_len);
  const auto server_iv = b.subspan(2 * (mac_len + key_len) + iv_len, iv_len);

  TrafficKeys keys;
  keys.client_write = record::DirectionKeys::make(suite, client_key, client_iv, client_mac, 0);
  keys.server_write = record::DirectionKeys::make(suite, server_key, server_iv, server_mac, 0);
  const bool etm = encrypt_then_mac && !record::is_aead(suite);
  keys.client_write.encrypt_then_mac = etm;
  keys.server_write.encrypt_then_mac = etm;
  secure_wipe_object(block);
  return keys;
}

Result<VerifyData> MasterSecret::finished_verify_data(Role sender, std::span<const uint8_t> transcript_hash) const {
  VerifyData out{};
  const std::string_view label = sender == Role::client ? "client finished" : "server finished";
  if (Status s = prf(_prf_hash, _bytes, label, transcript_hash, {}, out); !s) return s.error();
  return out;
}

}  // namespace tlsburst::handshake
