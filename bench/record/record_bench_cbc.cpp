// The TLS 1.2 AES-CBC + HMAC cases of tlsburst_record_bench (issue 3), registered by this file on
// its own (a static registrar, before main) with the binary's naming scheme
//   record/<contender>/<suite>/<arch>/<seal|open>/size:N/burst:B
// Contenders:
//   ours              RecordProcessor, MAC-then-encrypt (per ipsec-mb path, and auto)
//   ours-etm          RecordProcessor, encrypt-then-MAC (RFC 7366), auto path
//   openssl-stitched  OpenSSL 3 EVP "AES-{128,256}-CBC-HMAC-SHA1/-SHA256" in TLS mode (the AAD
//                     ctrl, one EVP_Cipher per record; explicit IV as the first block, as libssl
//                     does); SHA-1 and SHA-256 suites only (OpenSSL has no SHA-384 stitch)
//   openssl-mte       plain per-record MAC-then-encrypt with OpenSSL: HMAC_CTX (re-keyed from its
//                     stored pads) then EVP AES-CBC. Its open checks padding and MAC with plain
//                     branches (no Lucky Thirteen countermeasure): an optimistic bound for OpenSSL
//   cryptodev-chain   DPDK cryptodev, crypto_aesni_mb, one auth+cipher chained session per case:
//                     seal = HMAC generate then AES-CBC encrypt over content || MAC || padding
//                     (digest encrypted in place); open = decrypt then HMAC verify over the
//                     plaintext length the benchmark knows. Not constant-time and not general (the
//                     chain cannot find the padding): a throughput bound for the chained layout
// Every contender works in place on a ring of the same geometry; explicit IVs come from one bulk
// random draw per burst for the baselines (RAND_bytes), from the record layer's own generator for
// ours. Sealed records are checked against an OpenSSL HMAC + AES-CBC reference after timing, and
// opened records against the ring's plaintext pattern.
// HMAC_CTX (the plain MAC-then-encrypt baseline) is deprecated in OpenSSL 3.0 but is what older
// TLS stacks call per record.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <benchmark/benchmark.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <rte_crypto.h>
#include <rte_cryptodev.h>
#include <rte_errno.h>
#include <rte_mbuf.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/record/bench_case.hpp"
#include "bench/record/timed_loop.hpp"
#include "bench/record/bench_keys.hpp"
#include "bench/record/cryptodev_case.hpp"
#include "bench/record/cryptodev_env.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_processor.hpp"

namespace tlsburst::bench {

namespace {

using record::Suite;

constexpr std::array<Suite, 5> cbc_bench_suites{
    Suite::tls12_aes_128_cbc_sha, Suite::tls12_aes_256_cbc_sha, Suite::tls12_aes_128_cbc_sha256,
    Suite::tls12_aes_256_cbc_sha256, Suite::tls12_aes_256_cbc_sha384,
};

constexpr uint32_t body_offset = 21;  // header(5) + explicit IV(16)

uint32_t mac_len_of(Suite s) { return record::suite_info(s).tag_len; }

// Record length with minimal padding.
uint32_t cbc_record_len(Suite s, uint32_t plaintext_len, bool etm) {
  const uint32_t m = mac_len_of(s);
  return etm ? body_offset + (plaintext_len + 1 + 15) / 16 * 16 + m : body_offset + (plaintext_len + m + 1 + 15) / 16 * 16;
}

const EVP_MD* md_of(Suite s) {
  switch (record::suite_info(s).mac) {
    case record::MacAlgorithm::hmac_sha1: return EVP_sha1();
    case record::MacAlgorithm::hmac_sha256: return EVP_sha256();
    default: return EVP_sha384();
  }
}

const EVP_CIPHER* cbc_cipher_of(Suite s) {
  return record::suite_info(s).key_len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
}

void put_pseudo_header(uint8_t* p, uint64_t seq, uint16_t len) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
  p[8] = 23, p[9] = 3, p[10] = 3;
  p[11] = static_cast<uint8_t>(len >> 8), p[12] = static_cast<uint8_t>(len);
}

void put_header(uint8_t* rec, uint32_t fragment_len) {
  rec[0] = 23, rec[1] = 3, rec[2] = 3;
  rec[3] = static_cast<uint8_t>(fragment_len >> 8), rec[4] = static_cast<uint8_t>(fragment_len);
}

struct Free {
  void operator()(uint8_t* p) const { std::free(p); }
};

// Ring of record slots, like RecordRing but with the CBC record geometry.
class CbcRing {
 public:
  CbcRing(Suite suite, uint32_t plaintext_len, uint32_t burst, bool etm)
      : _suite(suite), _plaintext_len(plaintext_len), _record_len(cbc_record_len(suite, plaintext_len, etm)) {
    const size_t slot_len = record::header_room(suite) + plaintext_len + record::tail_room(suite);
    _stride = static_cast<uint32_t>((slot_len + 63) / 64 * 64);
    const uint32_t min_slots = std::max<uint32_t>(burst, ((1u << 20) + _stride - 1) / _stride);
    _num_slots = (min_slots + burst - 1) / burst * burst;
    const size_t len = size_t{_num_slots} * _stride;
    _mem.reset(static_cast<uint8_t*>(std::aligned_alloc(64, len)));
    _pristine.reset(static_cast<uint8_t*>(std::aligned_alloc(64, len)));
    std::memset(_mem.get(), 0, len);
  }
  Suite suite() const { return _suite; }
  uint32_t plaintext_len() const { return _plaintext_len; }
  uint32_t record_len() const { return _record_len; }
  uint32_t capacity() const { return _stride; }
  uint32_t num_slots() const { return _num_slots; }
  uint8_t* slot(uint32_t i) { return _mem.get() + size_t{i} * _stride; }
  static uint8_t pattern(uint32_t i, uint32_t j) { return static_cast<uint8_t>(i * 31 + j * 7 + 1); }
  void fill_plaintext() {
    for (uint32_t i = 0; i < _num_slots; ++i) {
      for (uint32_t j = 0; j < _plaintext_len; ++j) slot(i)[body_offset + j] = pattern(i, j);
    }
  }
  bool matches(uint32_t i, const uint8_t* p, uint32_t len) const {
    if (len != _plaintext_len) return false;
    for (uint32_t j = 0; j < len; ++j) {
      if (p[j] != pattern(i, j)) return false;
    }
    return true;
  }
  void snapshot() { std::memcpy(_pristine.get(), _mem.get(), size_t{_num_slots} * _stride); }
  void restore() { std::memcpy(_mem.get(), _pristine.get(), size_t{_num_slots} * _stride); }

 private:
  Suite _suite;
  uint32_t _plaintext_len, _record_len, _stride = 0, _num_slots = 0;
  std::unique_ptr<uint8_t[], Free> _mem, _pristine;
};

// OpenSSL HMAC + AES-CBC composition (RFC 5246 6.2.3.2 / RFC 7366), outside the timed loop.
class CbcReference {
 public:
  CbcReference(const BenchKeys& keys, bool etm) : _keys(keys), _etm(etm) {}

  uint32_t seal(uint64_t seq, uint8_t* rec, uint32_t len) {
    const Suite s = _keys.suite;
    const uint32_t m = mac_len_of(s);
    std::vector<uint8_t> body(rec + body_offset, rec + body_offset + len);
    if (!_etm) {
      std::vector<uint8_t> in(13);
      put_pseudo_header(in.data(), seq, static_cast<uint16_t>(len));
      in.insert(in.end(), body.begin(), body.end());
      const auto mac = hmac(in);
      body.insert(body.end(), mac.begin(), mac.end());
    }
    const uint32_t pad = static_cast<uint32_t>(15 - body.size() % 16);
    body.insert(body.end(), pad + 1, static_cast<uint8_t>(pad));
    uint8_t* iv = rec + 5;
    RAND_bytes(iv, 16);
    if (!cbc(iv, body.data(), rec + body_offset, static_cast<uint32_t>(body.size()), true)) return 0;
    uint32_t total = body_offset + static_cast<uint32_t>(body.size());
    if (_etm) {
      std::vector<uint8_t> in(13);
      put_pseudo_header(in.data(), seq, static_cast<uint16_t>(total - 5));
      in.insert(in.end(), rec + 5, rec + total);
      const auto mac = hmac(in);
      std::memcpy(rec + total, mac.data(), m);
      total += m;
    }
    put_header(rec, total - 5);
    return total;
  }

  // Returns the plaintext length (plaintext to `out`), or -1.
  int32_t open(uint64_t seq, const uint8_t* rec, uint32_t rec_len, uint8_t* out) {
    const uint32_t m = mac_len_of(_keys.suite);
    const uint32_t n = rec_len - body_offset - (_etm ? m : 0);
    if (_etm) {
      std::vector<uint8_t> in(13);
      put_pseudo_header(in.data(), seq, static_cast<uint16_t>(16 + n));
      in.insert(in.end(), rec + 5, rec + body_offset + n);
      if (std::memcmp(hmac(in).data(), rec + body_offset + n, m) != 0) return -1;
    }
    std::vector<uint8_t> body(n);
    if (!cbc(rec + 5, rec + body_offset, body.data(), n, false)) return -1;
    const uint32_t pad = body[n - 1];
    if (pad + 1 + (_etm ? 0 : m) > n) return -1;
    for (uint32_t i = n - 1 - pad; i < n; ++i) {
      if (body[i] != pad) return -1;
    }
    const uint32_t len = n - pad - 1 - (_etm ? 0 : m);
    if (!_etm) {
      std::vector<uint8_t> in(13);
      put_pseudo_header(in.data(), seq, static_cast<uint16_t>(len));
      in.insert(in.end(), body.begin(), body.begin() + len);
      if (std::memcmp(hmac(in).data(), body.data() + len, m) != 0) return -1;
    }
    std::memcpy(out, body.data(), len);
    return static_cast<int32_t>(len);
  }

 private:
  std::vector<uint8_t> hmac(const std::vector<uint8_t>& in) {
    std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    HMAC(md_of(_keys.suite), _keys.mac_key.data(), static_cast<int>(mac_len_of(_keys.suite)), in.data(), in.size(),
         out.data(), &len);
    out.resize(len);
    return out;
  }
  bool cbc(const uint8_t* iv, const uint8_t* in, uint8_t* out, uint32_t len, bool enc) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int l = 0;
    bool ok = EVP_CipherInit_ex(ctx, cbc_cipher_of(_keys.suite), nullptr, _keys.key.data(), iv, enc ? 1 : 0) == 1 &&
              EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 && EVP_CipherUpdate(ctx, out, &l, in, static_cast<int>(len)) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok && static_cast<uint32_t>(l) == len;
  }

  BenchKeys _keys;
  bool _etm;
};

class CbcContender {
 public:
  virtual ~CbcContender() = default;
  virtual Status prepare(const BenchCase& c, const BenchKeys& keys, CbcRing& ring) = 0;
  virtual uint32_t run(uint32_t first, uint32_t n) noexcept = 0;
  virtual void rewind() noexcept = 0;
};

struct CbcContenderInfo {
  const char* name;
  bool per_imb_arch;
  bool etm;                   // the records are encrypt-then-MAC
  bool (*supports)(Suite);
  std::unique_ptr<CbcContender> (*make)();
};

// --- ours ---------------------------------------------------------------------------------------

class OursCbc final : public CbcContender {
 public:
  explicit OursCbc(bool etm) : _etm(etm) {}
  Status prepare(const BenchCase& c, const BenchKeys& keys, CbcRing& ring) override {
    record::RecordProcessorOptions options;
    options.arch = c.arch;
    auto proc = record::RecordProcessor::create(options);
    if (!proc) return proc.error();
    _proc.emplace(std::move(proc.value()));
    record::DirectionKeys dk = keys.direction_keys();
    dk.encrypt_then_mac = _etm;
    if (Status s = _proc->install(_state, dk); !s) return s;
    _ring = &ring;
    _kind = c.direction == Direction::seal ? record::RecordOpKind::seal : record::RecordOpKind::open;
    _in_len = c.direction == Direction::seal ? ring.plaintext_len() : ring.record_len();
    return Status::success();
  }
  uint32_t run(uint32_t first, uint32_t n) noexcept override {
    for (uint32_t i = 0; i < n; ++i) {
      record::RecordOp& op = _ops[i];
      op.state = &_state;
      op.data = _ring->slot(first + i);
      op.capacity = _ring->capacity();
      op.length = _in_len;
      op.kind = _kind;
      op.type = record::ContentType::application_data;
    }
    return _proc->process(std::span<record::RecordOp>(_ops.data(), n));
  }
  void rewind() noexcept override { _state.seq = 0; }

 private:
  bool _etm;
  std::optional<record::RecordProcessor> _proc;
  record::DirectionState _state;
  std::array<record::RecordOp, max_bench_burst> _ops{};
  CbcRing* _ring = nullptr;
  record::RecordOpKind _kind = record::RecordOpKind::seal;
  uint32_t _in_len = 0;
};

// --- OpenSSL stitched ---------------------------------------------------------------------------

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

class OpensslStitched final : public CbcContender {
 public:
  Status prepare(const BenchCase& c, const BenchKeys& keys, CbcRing& ring) override {
    const auto& info = record::suite_info(c.suite);
    const char* name = info.mac == record::MacAlgorithm::hmac_sha1
                           ? (info.key_len == 16 ? "AES-128-CBC-HMAC-SHA1" : "AES-256-CBC-HMAC-SHA1")
                           : (info.key_len == 16 ? "AES-128-CBC-HMAC-SHA256" : "AES-256-CBC-HMAC-SHA256");
    _cipher = EVP_CIPHER_fetch(nullptr, name, nullptr);
    if (_cipher == nullptr) return make_error(Alert::internal_error, std::string("openssl: no ") + name);
    _seal = c.direction == Direction::seal;
    _ctx.reset(EVP_CIPHER_CTX_new());
    uint8_t zero_iv[16] = {};
    if (EVP_CipherInit_ex(_ctx.get(), _cipher, nullptr, keys.key.data(), zero_iv, _seal ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_ctrl(_ctx.get(), EVP_CTRL_AEAD_SET_MAC_KEY, static_cast<int>(info.mac_key_len),
                            const_cast<uint8_t*>(keys.mac_key.data())) <= 0) {
      return make_error(Alert::internal_error, std::string("openssl: cannot key ") + name);
    }
    _ring = &ring;
    _mac_len = info.tag_len;
    return Status::success();
  }
  ~OpensslStitched() override { EVP_CIPHER_free(_cipher); }

  uint32_t run(uint32_t first, uint32_t n) noexcept override {
    EVP_CIPHER_CTX* ctx = _ctx.get();
    uint32_t num_ok = 0;
    if (_seal) {
      if (RAND_bytes(_ivs.data(), static_cast<int>(16 * n)) != 1) return 0;
      const uint32_t len = _ring->plaintext_len();
      for (uint32_t i = 0; i < n; ++i) {
        uint8_t* rec = _ring->slot(first + i);
        uint8_t aad[13];
        put_pseudo_header(aad, _seq++, static_cast<uint16_t>(16 + len));  // explicit IV counted, as libssl does
        const int pad = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_TLS1_AAD, 13, aad);
        if (pad <= 0) continue;
        std::memcpy(rec + 5, _ivs.data() + 16 * i, 16);
        const uint32_t total = 16 + len + static_cast<uint32_t>(pad);
        if (EVP_Cipher(ctx, rec + 5, rec + 5, total) <= 0) continue;
        put_header(rec, total);
        ++num_ok;
      }
    } else {
      const uint32_t fragment = _ring->record_len() - 5;
      for (uint32_t i = 0; i < n; ++i) {
        uint8_t* rec = _ring->slot(first + i);
        uint8_t aad[13];
        put_pseudo_header(aad, _seq++, static_cast<uint16_t>(fragment));
        if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_TLS1_AAD, 13, aad) <= 0) continue;
        if (EVP_Cipher(ctx, rec + 5, rec + 5, fragment) <= 0) continue;
        ++num_ok;
      }
    }
    return num_ok;
  }
  void rewind() noexcept override { _seq = 0; }

 private:
  EVP_CIPHER* _cipher = nullptr;
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> _ctx;
  CbcRing* _ring = nullptr;
  bool _seal = true;
  uint32_t _mac_len = 0;
  uint64_t _seq = 0;
  std::array<uint8_t, 16 * max_bench_burst> _ivs{};
};

// --- OpenSSL plain MAC-then-encrypt -------------------------------------------------------------

class OpensslMte final : public CbcContender {
 public:
  Status prepare(const BenchCase& c, const BenchKeys& keys, CbcRing& ring) override {
    _seal = c.direction == Direction::seal;
    _hmac = HMAC_CTX_new();
    _ctx.reset(EVP_CIPHER_CTX_new());
    const uint32_t m = mac_len_of(c.suite);
    if (_hmac == nullptr || HMAC_Init_ex(_hmac, keys.mac_key.data(), static_cast<int>(m), md_of(c.suite), nullptr) != 1 ||
        EVP_CipherInit_ex(_ctx.get(), cbc_cipher_of(c.suite), nullptr, keys.key.data(), nullptr, _seal ? 1 : 0) != 1 ||
        EVP_CIPHER_CTX_set_padding(_ctx.get(), 0) != 1) {
      return make_error(Alert::internal_error, "openssl-mte: set-up failed");
    }
    _mac_len = m;
    _ring = &ring;
    return Status::success();
  }
  ~OpensslMte() override { HMAC_CTX_free(_hmac); }

  uint32_t run(uint32_t first, uint32_t n) noexcept override {
    uint32_t num_ok = 0;
    EVP_CIPHER_CTX* ctx = _ctx.get();
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (_seal) {
      if (RAND_bytes(_ivs.data(), static_cast<int>(16 * n)) != 1) return 0;
      const uint32_t len = _ring->plaintext_len();
      const uint32_t body = (len + _mac_len + 1 + 15) / 16 * 16;
      for (uint32_t i = 0; i < n; ++i) {
        uint8_t* rec = _ring->slot(first + i);
        uint8_t ph[13];
        put_pseudo_header(ph, _seq++, static_cast<uint16_t>(len));
        if (HMAC_Init_ex(_hmac, nullptr, 0, nullptr, nullptr) != 1 || HMAC_Update(_hmac, ph, 13) != 1 ||
            HMAC_Update(_hmac, rec + body_offset, len) != 1 || HMAC_Final(_hmac, rec + body_offset + len, &mac_len) != 1) {
          continue;
        }
        const uint32_t pad = body - len - _mac_len - 1;
        std::memset(rec + body_offset + len + _mac_len, static_cast<int>(pad), pad + 1);
        std::memcpy(rec + 5, _ivs.data() + 16 * i, 16);
        int out = 0;
        if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, rec + 5, 1) != 1 ||
            EVP_CipherUpdate(ctx, rec + body_offset, &out, rec + body_offset, static_cast<int>(body)) != 1) {
          continue;
        }
        put_header(rec, 16 + body);
        ++num_ok;
      }
    } else {
      const uint32_t body = _ring->record_len() - body_offset;
      for (uint32_t i = 0; i < n; ++i) {
        uint8_t* rec = _ring->slot(first + i);
        const uint64_t seq = _seq++;
        int out = 0;
        if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, rec + 5, 0) != 1 ||
            EVP_CipherUpdate(ctx, rec + body_offset, &out, rec + body_offset, static_cast<int>(body)) != 1) {
          continue;
        }
        const uint8_t* p = rec + body_offset;
        const uint32_t pad = p[body - 1];
        if (pad + 1 + _mac_len > body) continue;
        bool pad_ok = true;
        for (uint32_t j = body - 1 - pad; j < body; ++j) pad_ok &= p[j] == pad;
        if (!pad_ok) continue;
        const uint32_t len = body - pad - 1 - _mac_len;
        uint8_t ph[13];
        put_pseudo_header(ph, seq, static_cast<uint16_t>(len));
        if (HMAC_Init_ex(_hmac, nullptr, 0, nullptr, nullptr) != 1 || HMAC_Update(_hmac, ph, 13) != 1 ||
            HMAC_Update(_hmac, p, len) != 1 || HMAC_Final(_hmac, mac, &mac_len) != 1) {
          continue;
        }
        if (CRYPTO_memcmp(mac, p + len, _mac_len) != 0) continue;
        ++num_ok;
      }
    }
    return num_ok;
  }
  void rewind() noexcept override { _seq = 0; }

 private:
  HMAC_CTX* _hmac = nullptr;
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> _ctx;
  CbcRing* _ring = nullptr;
  bool _seal = true;
  uint32_t _mac_len = 0;
  uint64_t _seq = 0;
  std::array<uint8_t, 16 * max_bench_burst> _ivs{};
};

// --- DPDK cryptodev chains ----------------------------------------------------------------------

class CryptodevChain final : public CbcContender {
 public:
  Status prepare(const BenchCase& c, const BenchKeys& keys, CbcRing& ring) override {
    const auto& info = record::suite_info(c.suite);
    _seal = c.direction == Direction::seal;
    _ring = &ring;
    _mac_len = info.tag_len;

    struct rte_crypto_sym_xform auth = {};
    auth.type = RTE_CRYPTO_SYM_XFORM_AUTH;
    auth.auth.op = _seal ? RTE_CRYPTO_AUTH_OP_GENERATE : RTE_CRYPTO_AUTH_OP_VERIFY;
    auth.auth.algo = info.mac == record::MacAlgorithm::hmac_sha1     ? RTE_CRYPTO_AUTH_SHA1_HMAC
                     : info.mac == record::MacAlgorithm::hmac_sha256 ? RTE_CRYPTO_AUTH_SHA256_HMAC
                                                                       : RTE_CRYPTO_AUTH_SHA384_HMAC;
    auth.auth.key.data = keys.mac_key.data();
    auth.auth.key.length = info.mac_key_len;
    auth.auth.digest_length = info.tag_len;
    struct rte_crypto_sym_xform cipher = {};
    cipher.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
    cipher.cipher.op = _seal ? RTE_CRYPTO_CIPHER_OP_ENCRYPT : RTE_CRYPTO_CIPHER_OP_DECRYPT;
    cipher.cipher.algo = RTE_CRYPTO_CIPHER_AES_CBC;
    cipher.cipher.key.data = keys.key.data();
    cipher.cipher.key.length = info.key_len;
    cipher.cipher.iv.offset = CryptodevEnv::iv_offset;
    cipher.cipher.iv.length = 16;
    // MAC-then-encrypt order: seal hashes first, open decrypts first.
    struct rte_crypto_sym_xform* head = _seal ? &auth : &cipher;
    (_seal ? auth : cipher).next = _seal ? &cipher : &auth;
    return _dev.prepare(head, ring.slot(0), ring.num_slots(), ring.capacity());
  }

  uint32_t run(uint32_t first, uint32_t n) noexcept override {
    const uint32_t len = _ring->plaintext_len();
    const uint32_t body = _ring->record_len() - body_offset;
    if (_seal && RAND_bytes(_ivs.data(), static_cast<int>(16 * n)) != 1) return 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint8_t* rec = _ring->slot(first + i);
      rte_crypto_op* op = _dev.op(i);
      uint8_t* iv = rte_crypto_op_ctod_offset(op, uint8_t*, CryptodevEnv::iv_offset);
      if (_seal) {
        std::memcpy(iv, _ivs.data() + 16 * i, 16);
        const uint32_t pad = body - len - _mac_len - 1;
        std::memset(rec + body_offset + len + _mac_len, static_cast<int>(pad), pad + 1);
      } else {
        std::memcpy(iv, rec + 5, 16);
      }
      // The 13-byte MAC pseudo-header goes right before the content (over the IV room).
      put_pseudo_header(rec + body_offset - 13, _seq++, static_cast<uint16_t>(len));
      rte_mbuf* m = _dev.mbuf(first + i);
      m->data_len = static_cast<uint16_t>(body_offset + body);
      m->pkt_len = body_offset + body;
      op->status = RTE_CRYPTO_OP_STATUS_NOT_PROCESSED;
      rte_crypto_sym_op* sym = op->sym;
      sym->m_src = m;
      sym->m_dst = nullptr;
      sym->auth.data.offset = body_offset - 13;
      sym->auth.data.length = 13 + len;
      uint8_t* digest = rec + body_offset + len;
      sym->auth.digest.data = digest;
      sym->auth.digest.phys_addr = va_iova(digest);
      sym->cipher.data.offset = body_offset;
      sym->cipher.data.length = body;
    }
    uint32_t num_ok = 0;
    for (rte_crypto_op* op : _dev.process(n)) {
      if (op->status != RTE_CRYPTO_OP_STATUS_SUCCESS) continue;
      const rte_crypto_sym_op* sym = op->sym;
      uint8_t* rec = static_cast<uint8_t*>(sym->m_src->buf_addr);  // the slot, attached as external buffer
      if (_seal) {  // the real header and IV replace the pseudo-header
        put_header(rec, 16 + body);
        std::memcpy(rec + 5, rte_crypto_op_ctod_offset(op, uint8_t*, CryptodevEnv::iv_offset), 16);
      } else {
        const uint8_t* p = rec + body_offset;
        const uint32_t pad = p[body - 1];
        if (pad != body - len - _mac_len - 1) continue;
      }
      ++num_ok;
    }
    return num_ok;
  }
  void rewind() noexcept override { _seq = 0; }

 private:
  CbcRing* _ring = nullptr;
  bool _seal = true;
  uint32_t _mac_len = 0;
  uint64_t _seq = 0;
  std::array<uint8_t, 16 * max_bench_burst> _ivs{};
  CryptodevCase _dev;
};

// --- table, loop, registration ------------------------------------------------------------------

bool any_cbc(Suite) { return true; }
bool stitched_suite(Suite s) { return record::suite_info(s).mac != record::MacAlgorithm::hmac_sha384; }

const std::array<CbcContenderInfo, 5> cbc_contenders{{
    {"ours", true, false, any_cbc, [] { return std::unique_ptr<CbcContender>(new OursCbc(false)); }},
    {"ours-etm", false, true, any_cbc, [] { return std::unique_ptr<CbcContender>(new OursCbc(true)); }},
    {"openssl-stitched", false, false, stitched_suite, [] { return std::unique_ptr<CbcContender>(new OpensslStitched); }},
    {"openssl-mte", false, false, any_cbc, [] { return std::unique_ptr<CbcContender>(new OpensslMte); }},
    {"cryptodev-chain", false, false, any_cbc, [] { return std::unique_ptr<CbcContender>(new CryptodevChain); }},
}};

std::string verify(CbcContender& contender, CbcReference& ref, CbcRing& ring, const BenchCase& c) {
  if (c.direction == Direction::seal) {
    ring.fill_plaintext();
  } else {
    ring.restore();
  }
  contender.rewind();
  const uint32_t num_ok = contender.run(0, c.burst);
  if (num_ok != c.burst) return "verify: " + std::to_string(c.burst - num_ok) + " records failed";
  std::vector<uint8_t> plaintext(ring.record_len());
  for (uint32_t i = 0; i < c.burst; ++i) {
    if (c.direction == Direction::seal) {
      const uint8_t* rec = ring.slot(i);
      const uint32_t rec_len = 5 + (uint32_t{rec[3]} << 8 | rec[4]);
      const int32_t len = ref.open(i, rec, rec_len, plaintext.data());
      if (len < 0 || !ring.matches(i, plaintext.data(), static_cast<uint32_t>(len))) {
        return "verify: sealed record " + std::to_string(i) + " does not open with the reference";
      }
    } else if (!ring.matches(i, ring.slot(i) + body_offset, ring.plaintext_len())) {
      return "verify: opened record " + std::to_string(i) + " has the wrong plaintext";
    }
  }
  return {};
}

void run_cbc_case(benchmark::State& state, const BenchCase& c, const CbcContenderInfo& info) {
  const BenchKeys keys = make_bench_keys(c.suite);
  CbcReference ref(keys, info.etm);
  CbcRing ring(c.suite, c.plaintext_len, c.burst, info.etm);
  const bool open = c.direction == Direction::open;
  ring.fill_plaintext();
  if (open) {
    for (uint32_t i = 0; i < ring.num_slots(); ++i) {
      if (ref.seal(i, ring.slot(i), ring.plaintext_len()) != ring.record_len()) {
        state.SkipWithError("reference could not seal the ring");
        return;
      }
    }
  }
  ring.snapshot();
  std::unique_ptr<CbcContender> contender = info.make();
  if (Status s = contender->prepare(c, keys, ring); !s) {
    state.SkipWithError(s.error().message.c_str());
    return;
  }
  run_timed(state, c, *contender, ring, [&] { return verify(*contender, ref, ring, c); });
}

struct CbcRegistrar {
  CbcRegistrar() {
    std::vector<record::ImbArch> archs{record::ImbArch::auto_detect};
    for (record::ImbArch a : record::available_archs()) archs.push_back(a);
    const std::vector<record::ImbArch> auto_only{record::ImbArch::auto_detect};
    for (Suite suite : cbc_bench_suites) {
      for (Direction dir : {Direction::seal, Direction::open}) {
        for (uint32_t len : bench_plaintext_lens) {
          for (uint32_t burst : bench_bursts) {
            for (const CbcContenderInfo& info : cbc_contenders) {
              if (!info.supports(suite)) continue;
              for (record::ImbArch arch : info.per_imb_arch ? archs : auto_only) {
                const BenchCase c{info.name, suite, arch, dir, len, burst};
                const CbcContenderInfo* ip = &info;
                benchmark::RegisterBenchmark(bench_name(c).c_str(),
                                             [c, ip](benchmark::State& st) { run_cbc_case(st, c, *ip); });
              }
            }
          }
        }
      }
    }
  }
};

const CbcRegistrar cbc_registrar;

}  // namespace

}  // namespace tlsburst::bench
