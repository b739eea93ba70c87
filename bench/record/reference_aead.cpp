#include "bench/record/reference_aead.hpp"

#include <cstring>

#include "bench/record/evp_aead.hpp"
#include "bench/record/tls_framing.hpp"

namespace tlsburst::bench {

ReferenceAead::ReferenceAead(const BenchKeys& keys) : _keys(keys), _ctx(EVP_CIPHER_CTX_new()) {}

bool ReferenceAead::aead(bool seal, const uint8_t* nonce, const uint8_t* aad, uint32_t aad_len,
                         const uint8_t* in, uint32_t len, uint8_t* out, uint8_t* tag) {
  const EVP_CIPHER* cipher = evp_aead_cipher(_keys.suite);
  EVP_CIPHER_CTX* ctx = _ctx.get();
  if (ctx == nullptr || cipher == nullptr) return false;
  int n = 0;
  if (EVP_CipherInit_ex2(ctx, cipher, _keys.key.data(), nonce, seal ? 1 : 0, nullptr) != 1) return false;
  if (EVP_CipherUpdate(ctx, nullptr, &n, aad, static_cast<int>(aad_len)) != 1) return false;
  if (len != 0 && EVP_CipherUpdate(ctx, out, &n, in, static_cast<int>(len)) != 1) return false;
  if (!seal && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, aead_tag_len, tag) != 1) return false;
  if (EVP_CipherFinal_ex(ctx, out + len, &n) != 1) return false;
  if (seal && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, aead_tag_len, tag) != 1) return false;
  return true;
}

uint32_t ReferenceAead::seal(uint64_t seq, uint8_t* record, uint32_t plaintext_len) {
  AeadFrame f;
  frame_seal(_keys.info(), _keys.iv.data(), seq, record, plaintext_len, f);
  uint8_t* payload = record + f.payload_offset;
  if (!aead(true, f.nonce, f.aad, f.aad_len, payload, f.payload_len, payload, payload + f.payload_len)) return 0;
  return f.record_len;
}

int32_t ReferenceAead::open(uint64_t seq, const uint8_t* record, uint32_t record_len, uint8_t* plaintext) {
  AeadFrame f;
  if (!frame_open(_keys.info(), _keys.iv.data(), seq, record, record_len, f)) return -1;
  uint8_t tag[aead_tag_len];
  std::memcpy(tag, record + f.payload_offset + f.payload_len, aead_tag_len);
  if (!aead(false, f.nonce, f.aad, f.aad_len, record + f.payload_offset, f.payload_len, plaintext, tag)) return -1;
  if (_keys.info().version == record::ProtocolVersion::tls13) {
    return tls13_inner_plaintext_len(plaintext, f.payload_len);
  }
  return static_cast<int32_t>(f.payload_len);
}

}  // namespace tlsburst::bench
