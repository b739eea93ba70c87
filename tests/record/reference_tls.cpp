#include "tests/record/reference_tls.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace tlsburst::record::test {

namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const EVP_CIPHER* evp_cipher(AeadAlgorithm alg, size_t key_len) {
  if (alg == AeadAlgorithm::chacha20_poly1305) return key_len == 32 ? EVP_chacha20_poly1305() : nullptr;
  if (key_len == 16) return EVP_aes_128_gcm();
  if (key_len == 32) return EVP_aes_256_gcm();
  return nullptr;
}

// Any failure of OpenSSL here is a broken test set-up, not a finding: stop loudly.
[[noreturn]] void evp_die(const char* what) {
  std::fprintf(stderr, "reference_tls: OpenSSL %s failed\n", what);
  std::abort();
}

CtxPtr evp_begin(AeadAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
                 std::span<const uint8_t> aad, int enc) {
  const EVP_CIPHER* cipher = evp_cipher(alg, key.size());
  if (cipher == nullptr || nonce.size() != 12) evp_die("cipher selection");
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) evp_die("EVP_CIPHER_CTX_new");
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, enc) != 1) evp_die("init");
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr) != 1) evp_die("set ivlen");
  if (EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, key.data(), nonce.data(), enc) != 1) evp_die("key/iv");
  int out_len = 0;
  if (!aad.empty() && EVP_CipherUpdate(ctx.get(), nullptr, &out_len, aad.data(), static_cast<int>(aad.size())) != 1) {
    evp_die("aad");
  }
  return ctx;
}

void append_header(Bytes& out, uint8_t type, uint16_t version, size_t fragment_len) {
  out.push_back(type);
  out.push_back(static_cast<uint8_t>(version >> 8));
  out.push_back(static_cast<uint8_t>(version));
  out.push_back(static_cast<uint8_t>(fragment_len >> 8));
  out.push_back(static_cast<uint8_t>(fragment_len));
}

void append_be64(Bytes& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint64_t read_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Bytes evp_seal(AeadAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
               std::span<const uint8_t> aad, std::span<const uint8_t> plaintext) {
  CtxPtr ctx = evp_begin(alg, key, nonce, aad, 1);
  Bytes out(plaintext.size() + aead_tag_len);
  int len = 0;
  if (!plaintext.empty() &&
      EVP_CipherUpdate(ctx.get(), out.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())) != 1) {
    evp_die("encrypt");
  }
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + len, &final_len) != 1) evp_die("encrypt final");
  if (static_cast<size_t>(len + final_len) != plaintext.size()) evp_die("encrypt length");
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, aead_tag_len, out.data() + plaintext.size()) != 1) {
    evp_die("get tag");
  }
  return out;
}

std::optional<Bytes> evp_open(AeadAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> nonce,
                              std::span<const uint8_t> aad, std::span<const uint8_t> sealed) {
  if (sealed.size() < aead_tag_len) return std::nullopt;
  const size_t ct_len = sealed.size() - aead_tag_len;
  CtxPtr ctx = evp_begin(alg, key, nonce, aad, 0);
  Bytes out(ct_len);
  int len = 0;
  if (ct_len > 0 &&
      EVP_CipherUpdate(ctx.get(), out.data(), &len, sealed.data(), static_cast<int>(ct_len)) != 1) {
    evp_die("decrypt");
  }
  uint8_t tag[aead_tag_len];
  std::memcpy(tag, sealed.data() + ct_len, aead_tag_len);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, aead_tag_len, tag) != 1) evp_die("set tag");
  int final_len = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + len, &final_len) != 1) return std::nullopt;
  return out;
}

AeadAlgorithm algorithm_of(Suite s) {
  return suite_info(s).family == CipherFamily::aes_gcm ? AeadAlgorithm::aes_gcm : AeadAlgorithm::chacha20_poly1305;
}

Bytes ref_nonce(Suite s, std::span<const uint8_t> iv, uint64_t seq, uint64_t explicit_nonce) {
  Bytes nonce(12, 0);
  if (!is_tls13(s) && suite_info(s).family == CipherFamily::aes_gcm) {
    // RFC 5288 3: GCMNonce = salt (4, from the key block) || nonce_explicit (8, in the record).
    std::copy_n(iv.begin(), 4, nonce.begin());
    for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(explicit_nonce >> (8 * (7 - i)));
    return nonce;
  }
  // RFC 7905 2 / RFC 8446 5.3: the 64-bit sequence number, big-endian, left-padded with zeros to
  // 12 bytes and xored with the static IV.
  std::copy_n(iv.begin(), 12, nonce.begin());
  for (int i = 0; i < 8; ++i) nonce[4 + i] ^= static_cast<uint8_t>(seq >> (8 * (7 - i)));
  return nonce;
}

Bytes ref_tls12_aad(uint64_t seq, uint8_t type, uint16_t version, uint16_t plaintext_len) {
  Bytes aad;
  append_be64(aad, seq);
  aad.push_back(type);
  aad.push_back(static_cast<uint8_t>(version >> 8));
  aad.push_back(static_cast<uint8_t>(version));
  aad.push_back(static_cast<uint8_t>(plaintext_len >> 8));
  aad.push_back(static_cast<uint8_t>(plaintext_len));
  return aad;
}

Bytes ref_seal_tls13_raw(const TestKeys& keys, uint64_t seq, uint8_t outer_type, std::span<const uint8_t> inner,
                         uint16_t version) {
  Bytes record;
  append_header(record, outer_type, version, inner.size() + aead_tag_len);
  const Bytes aad(record.begin(), record.end());
  const Bytes sealed = evp_seal(algorithm_of(keys.suite), keys.key, ref_nonce(keys.suite, keys.iv, seq, 0), aad, inner);
  record.insert(record.end(), sealed.begin(), sealed.end());
  return record;
}

Bytes ref_seal_tls12_raw(const TestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> plaintext,
                         uint64_t explicit_nonce) {
  const bool gcm = suite_info(keys.suite).family == CipherFamily::aes_gcm;
  const size_t explicit_len = gcm ? 8 : 0;
  Bytes record;
  append_header(record, type, 0x0303, explicit_len + plaintext.size() + aead_tag_len);
  if (gcm) append_be64(record, explicit_nonce);
  const Bytes aad = ref_tls12_aad(seq, type, 0x0303, static_cast<uint16_t>(plaintext.size()));
  const Bytes sealed =
      evp_seal(algorithm_of(keys.suite), keys.key, ref_nonce(keys.suite, keys.iv, seq, explicit_nonce), aad, plaintext);
  record.insert(record.end(), sealed.begin(), sealed.end());
  return record;
}

Bytes ref_seal(const TestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> content,
               size_t padding_len, std::optional<uint64_t> explicit_nonce) {
  if (is_tls13(keys.suite)) {
    Bytes inner(content.begin(), content.end());
    inner.push_back(type);
    inner.resize(inner.size() + padding_len, 0);
    return ref_seal_tls13_raw(keys, seq, 23, inner);
  }
  return ref_seal_tls12_raw(keys, seq, type, content, explicit_nonce.value_or(seq));
}

std::optional<RefOpened> ref_open(const TestKeys& keys, uint64_t seq, std::span<const uint8_t> record) {
  if (record.size() < 5) return std::nullopt;
  const size_t fragment_len = (size_t{record[3]} << 8) | record[4];
  if (fragment_len != record.size() - 5) return std::nullopt;
  const std::span<const uint8_t> header = record.first(5);
  const std::span<const uint8_t> fragment = record.subspan(5);
  const AeadAlgorithm alg = algorithm_of(keys.suite);
  RefOpened out;
  if (is_tls13(keys.suite)) {
    if (record[0] != 23 || fragment_len > (1u << 14) + 256 || fragment_len < aead_tag_len + 1) return std::nullopt;
    auto inner = evp_open(alg, keys.key, ref_nonce(keys.suite, keys.iv, seq, 0), header, fragment);
    if (!inner || inner->size() > (1u << 14) + 1) return std::nullopt;
    size_t end = inner->size();
    while (end > 0 && (*inner)[end - 1] == 0) --end;
    if (end == 0) return std::nullopt;
    out.type = (*inner)[end - 1];
    out.padding_len = inner->size() - end;
    out.content.assign(inner->begin(), inner->begin() + static_cast<ptrdiff_t>(end - 1));
    return out;
  }
  const bool gcm = alg == AeadAlgorithm::aes_gcm;
  const size_t explicit_len = gcm ? 8 : 0;
  if (fragment_len > (1u << 14) + 2048 || fragment_len < explicit_len + aead_tag_len) return std::nullopt;
  const uint64_t explicit_nonce = gcm ? read_be64(fragment.data()) : 0;
  const size_t plaintext_len = fragment_len - explicit_len - aead_tag_len;
  const uint16_t version = static_cast<uint16_t>((record[1] << 8) | record[2]);
  const Bytes aad = ref_tls12_aad(seq, record[0], version, static_cast<uint16_t>(plaintext_len));
  auto plain = evp_open(alg, keys.key, ref_nonce(keys.suite, keys.iv, seq, explicit_nonce), aad,
                        fragment.subspan(explicit_len));
  if (!plain || plain->size() > (1u << 14)) return std::nullopt;
  out.type = record[0];
  out.content = std::move(*plain);
  return out;
}

}  // namespace tlsburst::record::test
