// Contender "raw": ipsec-mb called directly, one record at a time, with keys expanded once (the
// precomputed gcm_key_data) and the same TLS framing as every other baseline. This is the
// per-core limit of the library that the record layer's overhead is measured against.
//   raw-direct: the single-buffer functions (IMB_AES128/256_GCM_ENC/DEC; ChaCha20-Poly1305
//               INIT / ENC|DEC_UPDATE / FINALIZE).
//   raw-job:    the job API, one job in flight: get_next_job, fill, submit (NOCHECK, the job
//               template validated once with the checked submit at set-up), flush if needed.
#include <intel-ipsec-mb.h>

#include <cstring>
#include <optional>
#include <string>

#include "bench/record/contender.hpp"
#include "bench/record/tls_framing.hpp"
#include "engine/record/imb_manager.hpp"

namespace tlsburst::bench {

namespace {

enum class Api : uint8_t { direct, job };
enum class Alg : uint8_t { gcm128, gcm256, chacha };

class RawImbContender final : public Contender {
 public:
  explicit RawImbContender(Api api) : _api(api) {}

  Status prepare(const BenchCase& c, const BenchKeys& keys, RecordRing& ring) override {
    auto mgr = record::ImbManager::create(c.arch);
    if (!mgr) return mgr.error();
    _mgr.emplace(std::move(mgr.value()));
    IMB_MGR* m = _mgr->get();
    _info = &keys.info();
    _ring = &ring;
    std::memcpy(_fixed_iv, keys.iv.data(), sizeof _fixed_iv);
    Alg alg = Alg::chacha;
    switch (_info->family) {
      case record::CipherFamily::aes_gcm:
        alg = _info->key_len == 16 ? Alg::gcm128 : Alg::gcm256;
        if (alg == Alg::gcm128) {
          IMB_AES128_GCM_PRE(m, keys.key.data(), &_gcm_key);
        } else {
          IMB_AES256_GCM_PRE(m, keys.key.data(), &_gcm_key);
        }
        break;
      case record::CipherFamily::chacha20_poly1305:
        std::memcpy(_chacha_key, keys.key.data(), sizeof _chacha_key);
        break;
      case record::CipherFamily::aes_cbc_hmac:
        return make_error(Alert::internal_error, "raw: CBC suites not implemented");
    }
    if (imb_get_errno(m) != 0) return make_error(Alert::internal_error, imb_get_strerror(imb_get_errno(m)));
    _run = select(alg, c.direction == Direction::seal, _api);
    if (_api == Api::job) return validate_job_template(alg);
    return Status::success();
  }

  uint32_t run(uint32_t first, uint32_t n) noexcept override { return (this->*_run)(first, n); }

  void rewind() noexcept override { _seq = 0; }

 private:
  using RunFn = uint32_t (RawImbContender::*)(uint32_t, uint32_t) noexcept;

  template <Alg A, bool Seal, Api P>
  uint32_t run_impl(uint32_t first, uint32_t n) noexcept {
    uint32_t num_ok = 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t* rec = _ring->slot(first + i);
      AeadFrame f;
      if constexpr (Seal) {
        frame_seal(*_info, _fixed_iv, _seq, rec, _ring->plaintext_len(), f);
      } else {
        if (!frame_open(*_info, _fixed_iv, _seq, rec, _ring->record_len(), f)) continue;
      }
      ++_seq;
      uint8_t* payload = rec + f.payload_offset;
      uint8_t* tag = payload + f.payload_len;
      alignas(16) uint8_t computed[aead_tag_len];
      const bool ran = cipher<A, Seal, P>(f, payload, Seal ? tag : computed, false);
      if constexpr (Seal) {
        num_ok += ran ? 1 : 0;
      } else {
        if (!ran || !tags_equal(computed, tag)) continue;
        if (_info->version == record::ProtocolVersion::tls13 &&
            tls13_inner_plaintext_len(payload, f.payload_len) < 0) {
          continue;
        }
        ++num_ok;
      }
    }
    return num_ok;
  }

  template <Alg A, bool Seal, Api P>
  bool cipher(const AeadFrame& f, uint8_t* payload, uint8_t* tag_out, bool checked) noexcept {
    IMB_MGR* m = _mgr->get();
    const uint64_t len = f.payload_len;
    if constexpr (P == Api::direct) {
      if constexpr (A == Alg::gcm128) {
        if constexpr (Seal) {
          IMB_AES128_GCM_ENC(m, &_gcm_key, &_gcm_ctx, payload, payload, len, f.nonce, f.aad, f.aad_len,
                             tag_out, aead_tag_len);
        } else {
          IMB_AES128_GCM_DEC(m, &_gcm_key, &_gcm_ctx, payload, payload, len, f.nonce, f.aad, f.aad_len,
                             tag_out, aead_tag_len);
        }
      } else if constexpr (A == Alg::gcm256) {
        if constexpr (Seal) {
          IMB_AES256_GCM_ENC(m, &_gcm_key, &_gcm_ctx, payload, payload, len, f.nonce, f.aad, f.aad_len,
                             tag_out, aead_tag_len);
        } else {
          IMB_AES256_GCM_DEC(m, &_gcm_key, &_gcm_ctx, payload, payload, len, f.nonce, f.aad, f.aad_len,
                             tag_out, aead_tag_len);
        }
      } else {
        IMB_CHACHA20_POLY1305_INIT(m, _chacha_key, &_chacha_ctx, f.nonce, f.aad, f.aad_len);
        if constexpr (Seal) {
          IMB_CHACHA20_POLY1305_ENC_UPDATE(m, _chacha_key, &_chacha_ctx, payload, payload, len);
          IMB_CHACHA20_POLY1305_ENC_FINALIZE(m, &_chacha_ctx, tag_out, aead_tag_len);
        } else {
          IMB_CHACHA20_POLY1305_DEC_UPDATE(m, _chacha_key, &_chacha_ctx, payload, payload, len);
          IMB_CHACHA20_POLY1305_DEC_FINALIZE(m, &_chacha_ctx, tag_out, aead_tag_len);
        }
      }
      return true;
    } else {
      IMB_JOB* job = IMB_GET_NEXT_JOB(m);
      job->cipher_direction = Seal ? IMB_DIR_ENCRYPT : IMB_DIR_DECRYPT;
      job->chain_order = Seal ? IMB_ORDER_CIPHER_HASH : IMB_ORDER_HASH_CIPHER;
      job->src = payload;
      job->dst = payload;
      job->cipher_start_src_offset_in_bytes = 0;
      job->msg_len_to_cipher_in_bytes = len;
      job->hash_start_src_offset_in_bytes = 0;
      job->msg_len_to_hash_in_bytes = len;
      job->iv = f.nonce;
      job->iv_len_in_bytes = aead_nonce_len;
      job->auth_tag_output = tag_out;
      job->auth_tag_output_len_in_bytes = aead_tag_len;
      if constexpr (A == Alg::chacha) {
        job->cipher_mode = IMB_CIPHER_CHACHA20_POLY1305;
        job->hash_alg = IMB_AUTH_CHACHA20_POLY1305;
        job->enc_keys = _chacha_key;
        job->dec_keys = _chacha_key;
        job->key_len_in_bytes = 32;
        job->u.CHACHA20_POLY1305.aad = f.aad;
        job->u.CHACHA20_POLY1305.aad_len_in_bytes = f.aad_len;
      } else {
        job->cipher_mode = IMB_CIPHER_GCM;
        job->hash_alg = IMB_AUTH_AES_GMAC;
        job->enc_keys = &_gcm_key;
        job->dec_keys = &_gcm_key;
        job->key_len_in_bytes = A == Alg::gcm128 ? IMB_KEY_128_BYTES : IMB_KEY_256_BYTES;
        job->u.GCM.aad = f.aad;
        job->u.GCM.aad_len_in_bytes = f.aad_len;
      }
      job = checked ? IMB_SUBMIT_JOB(m) : IMB_SUBMIT_JOB_NOCHECK(m);
      if (job == nullptr) job = IMB_FLUSH_JOB(m);
      return job != nullptr && job->status == IMB_STATUS_COMPLETED;
    }
  }

  // One sealed record through the checked submit, so that the NOCHECK submits of run() only ever
  // see a job layout ipsec-mb accepted.
  Status validate_job_template(Alg alg) {
    uint8_t buf[64] = {};
    AeadFrame f;
    frame_seal(*_info, _fixed_iv, 0, buf, 16, f);
    uint8_t* payload = buf + f.payload_offset;
    bool ok = false;
    switch (alg) {
      case Alg::gcm128: ok = cipher<Alg::gcm128, true, Api::job>(f, payload, payload + f.payload_len, true); break;
      case Alg::gcm256: ok = cipher<Alg::gcm256, true, Api::job>(f, payload, payload + f.payload_len, true); break;
      case Alg::chacha: ok = cipher<Alg::chacha, true, Api::job>(f, payload, payload + f.payload_len, true); break;
    }
    if (!ok) {
      return make_error(Alert::internal_error,
                        std::string("raw-job: ipsec-mb rejected the job: ") + imb_get_strerror(imb_get_errno(_mgr->get())));
    }
    return Status::success();
  }

  template <Alg A>
  static RunFn select_dir(bool seal, Api api) {
    if (api == Api::direct) return seal ? &RawImbContender::run_impl<A, true, Api::direct> : &RawImbContender::run_impl<A, false, Api::direct>;
    return seal ? &RawImbContender::run_impl<A, true, Api::job> : &RawImbContender::run_impl<A, false, Api::job>;
  }

  static RunFn select(Alg alg, bool seal, Api api) {
    switch (alg) {
      case Alg::gcm128: return select_dir<Alg::gcm128>(seal, api);
      case Alg::gcm256: return select_dir<Alg::gcm256>(seal, api);
      case Alg::chacha: return select_dir<Alg::chacha>(seal, api);
    }
    return nullptr;
  }

  Api _api;
  RunFn _run = nullptr;
  std::optional<record::ImbManager> _mgr;
  const record::SuiteInfo* _info = nullptr;
  RecordRing* _ring = nullptr;
  uint64_t _seq = 0;
  alignas(16) uint8_t _fixed_iv[16] = {};  // zero after fixed_iv_len
  alignas(64) struct gcm_key_data _gcm_key;
  alignas(64) struct gcm_context_data _gcm_ctx;
  alignas(64) struct chacha20_poly1305_context_data _chacha_ctx;
  alignas(16) uint8_t _chacha_key[32] = {};
};

}  // namespace

std::unique_ptr<Contender> make_raw_direct() { return std::make_unique<RawImbContender>(Api::direct); }
std::unique_ptr<Contender> make_raw_job() { return std::make_unique<RawImbContender>(Api::job); }

}  // namespace tlsburst::bench
