// Contender "openssl": what TLS libraries do per record with OpenSSL 3 EVP. One EVP_CIPHER_CTX per
// session direction, keyed once at set-up; per record: set the nonce (EVP_CipherInit_ex2 with no
// cipher or key), the AAD (update with no output), the payload (update in place), and the tag
// (final + GET_TAG on seal, SET_TAG + final on open). Same TLS framing as the other baselines.
#include <openssl/evp.h>

#include <cstring>
#include <memory>

#include "bench/record/contender.hpp"
#include "bench/record/evp_aead.hpp"
#include "bench/record/tls_framing.hpp"

namespace tlsburst::bench {

namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

class OpensslContender final : public Contender {
 public:
  Status prepare(const BenchCase& c, const BenchKeys& keys, RecordRing& ring) override {
    const EVP_CIPHER* cipher = evp_aead_cipher(c.suite);
    if (cipher == nullptr) return make_error(Alert::internal_error, "openssl: suite is not AEAD");
    _ctx.reset(EVP_CIPHER_CTX_new());
    _seal = c.direction == Direction::seal;
    if (!_ctx || EVP_CipherInit_ex2(_ctx.get(), cipher, keys.key.data(), nullptr, _seal ? 1 : 0, nullptr) != 1) {
      return make_error(Alert::internal_error, "openssl: EVP_CipherInit_ex2 failed");
    }
    _info = &keys.info();
    std::memcpy(_fixed_iv, keys.iv.data(), sizeof _fixed_iv);
    _ring = &ring;
    return Status::success();
  }

  uint32_t run(uint32_t first, uint32_t n) noexcept override {
    return _seal ? run_seal(first, n) : run_open(first, n);
  }

  void rewind() noexcept override { _seq = 0; }

 private:
  uint32_t run_seal(uint32_t first, uint32_t n) noexcept {
    EVP_CIPHER_CTX* ctx = _ctx.get();
    uint32_t num_ok = 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t* rec = _ring->slot(first + i);
      AeadFrame f;
      frame_seal(*_info, _fixed_iv, _seq++, rec, _ring->plaintext_len(), f);
      uint8_t* payload = rec + f.payload_offset;
      int out_len = 0;
      if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, f.nonce, 1, nullptr) != 1) continue;
      if (EVP_CipherUpdate(ctx, nullptr, &out_len, f.aad, static_cast<int>(f.aad_len)) != 1) continue;
      if (EVP_CipherUpdate(ctx, payload, &out_len, payload, static_cast<int>(f.payload_len)) != 1) continue;
      if (EVP_CipherFinal_ex(ctx, payload + f.payload_len, &out_len) != 1) continue;
      if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, aead_tag_len, payload + f.payload_len) != 1) continue;
      ++num_ok;
    }
    return num_ok;
  }

  uint32_t run_open(uint32_t first, uint32_t n) noexcept {
    EVP_CIPHER_CTX* ctx = _ctx.get();
    uint32_t num_ok = 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t* rec = _ring->slot(first + i);
      AeadFrame f;
      if (!frame_open(*_info, _fixed_iv, _seq, rec, _ring->record_len(), f)) continue;
      ++_seq;
      uint8_t* payload = rec + f.payload_offset;
      uint8_t* tag = payload + f.payload_len;
      int out_len = 0;
      if (EVP_CipherInit_ex2(ctx, nullptr, nullptr, f.nonce, 0, nullptr) != 1) continue;
      if (EVP_CipherUpdate(ctx, nullptr, &out_len, f.aad, static_cast<int>(f.aad_len)) != 1) continue;
      if (EVP_CipherUpdate(ctx, payload, &out_len, payload, static_cast<int>(f.payload_len)) != 1) continue;
      if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, aead_tag_len, tag) != 1) continue;
      if (EVP_CipherFinal_ex(ctx, tag, &out_len) != 1) continue;  // tag mismatch
      if (_info->version == record::ProtocolVersion::tls13 &&
          tls13_inner_plaintext_len(payload, f.payload_len) < 0) {
        continue;
      }
      ++num_ok;
    }
    return num_ok;
  }

  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> _ctx;
  bool _seal = true;
  const record::SuiteInfo* _info = nullptr;
  alignas(16) uint8_t _fixed_iv[16] = {};  // zero after fixed_iv_len
  RecordRing* _ring = nullptr;
  uint64_t _seq = 0;
};

}  // namespace

std::unique_ptr<Contender> make_openssl_evp() { return std::make_unique<OpensslContender>(); }

}  // namespace tlsburst::bench
