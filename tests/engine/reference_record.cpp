#include "tests/engine/reference_record.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <memory>
#include <random>

namespace tlsburst::engine::test {

using record::CipherFamily;
using record::ContentType;
using record::DirectionKeys;
using record::MacAlgorithm;
using record::Suite;
using record::suite_info;

namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const EVP_CIPHER* cipher_of(Suite s) {
  const auto& i = suite_info(s);
  switch (i.family) {
    case CipherFamily::aes_gcm: return i.key_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
    case CipherFamily::chacha20_poly1305: return EVP_chacha20_poly1305();
    case CipherFamily::aes_cbc_hmac: return i.key_len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
  }
  return nullptr;
}

const EVP_MD* md_of(MacAlgorithm m) {
  switch (m) {
    case MacAlgorithm::hmac_sha1: return EVP_sha1();
    case MacAlgorithm::hmac_sha256: return EVP_sha256();
    case MacAlgorithm::hmac_sha384: return EVP_sha384();
    case MacAlgorithm::none: break;
  }
  return nullptr;
}

void seq_nonce(uint8_t nonce[12], const DirectionKeys& k, uint64_t seq) {
  std::memcpy(nonce, k.iv.data(), 12);
  for (int i = 0; i < 8; ++i) nonce[4 + i] ^= static_cast<uint8_t>(seq >> (56 - 8 * i));
}

void tls12_aad(uint8_t aad[13], uint64_t seq, ContentType type, size_t len) {
  record::store_be64(aad, seq);
  aad[8] = static_cast<uint8_t>(type);
  record::store_be16(aad + 9, record::legacy_record_version);
  record::store_be16(aad + 11, static_cast<uint16_t>(len));
}

// AEAD encrypt or decrypt of `in` (tag separate); returns false on authentication failure.
bool aead(Suite s, const DirectionKeys& k, const uint8_t nonce[12], std::span<const uint8_t> aad,
          std::span<const uint8_t> in, uint8_t* out, uint8_t tag[16], bool encrypt) {
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!EVP_CipherInit_ex(ctx.get(), cipher_of(s), nullptr, nullptr, nullptr, encrypt ? 1 : 0)) return false;
  if (!EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, 12, nullptr)) return false;
  if (!EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, k.key.data(), nonce, -1)) return false;
  if (!aad.empty() && !EVP_CipherUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size()))) {
    return false;
  }
  if (!in.empty() && !EVP_CipherUpdate(ctx.get(), out, &len, in.data(), static_cast<int>(in.size()))) return false;
  if (!encrypt && !EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, tag)) return false;
  uint8_t final_block[16];
  if (EVP_CipherFinal_ex(ctx.get(), final_block, &len) != 1) return false;
  if (encrypt && !EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, tag)) return false;
  return true;
}

bool cbc(Suite s, const DirectionKeys& k, const uint8_t* iv, const uint8_t* in, size_t len, uint8_t* out,
         bool encrypt) {
  Ctx ctx(EVP_CIPHER_CTX_new());
  int n = 0;
  if (!EVP_CipherInit_ex(ctx.get(), cipher_of(s), nullptr, k.key.data(), iv, encrypt ? 1 : 0)) return false;
  EVP_CIPHER_CTX_set_padding(ctx.get(), 0);
  return len == 0 || EVP_CipherUpdate(ctx.get(), out, &n, in, static_cast<int>(len)) == 1;
}

Bytes hmac(Suite s, const DirectionKeys& k, std::span<const uint8_t> a, std::span<const uint8_t> b) {
  const auto& info = suite_info(s);
  Bytes msg(a.begin(), a.end());
  msg.insert(msg.end(), b.begin(), b.end());
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned len = 0;
  HMAC(md_of(info.mac), k.mac_key.data(), info.mac_key_len, msg.data(), msg.size(), out.data(), &len);
  out.resize(len);
  return out;
}

}  // namespace

std::optional<OpenedRecord> reference_open(const DirectionKeys& k, uint64_t seq, std::span<const uint8_t> rec) {
  const Suite s = k.suite;
  const auto& info = suite_info(s);
  if (rec.size() < record::header_len) return std::nullopt;
  const size_t frag_len = record::load_be16(rec.data() + 3);
  if (frag_len + record::header_len != rec.size()) return std::nullopt;
  const auto outer_type = static_cast<ContentType>(rec[0]);
  const uint8_t* frag = rec.data() + record::header_len;
  OpenedRecord out;

  if (info.family != CipherFamily::aes_cbc_hmac) {
    const size_t explicit_len = info.record_iv_len;
    if (frag_len < explicit_len + 16) return std::nullopt;
    const size_t ct_len = frag_len - explicit_len - 16;
    uint8_t nonce[12];
    if (explicit_len == 8) {
      std::memcpy(nonce, k.iv.data(), 4);
      std::memcpy(nonce + 4, frag, 8);
    } else {
      seq_nonce(nonce, k, seq);
    }
    uint8_t tag[16];
    std::memcpy(tag, frag + explicit_len + ct_len, 16);
    Bytes pt(ct_len);
    if (record::is_tls13(s)) {
      if (!aead(s, k, nonce, rec.subspan(0, record::header_len), {frag + explicit_len, ct_len}, pt.data(), tag,
                false)) {
        return std::nullopt;
      }
      while (!pt.empty() && pt.back() == 0) pt.pop_back();
      if (pt.empty()) return std::nullopt;
      out.type = static_cast<ContentType>(pt.back());
      pt.pop_back();
    } else {
      uint8_t aad[13];
      tls12_aad(aad, seq, outer_type, ct_len);
      if (!aead(s, k, nonce, aad, {frag + explicit_len, ct_len}, pt.data(), tag, false)) return std::nullopt;
      out.type = outer_type;
    }
    out.plaintext = std::move(pt);
    return out;
  }

  // CBC + HMAC.
  const size_t mac_len = info.tag_len;
  out.type = outer_type;
  if (k.encrypt_then_mac) {
    if (frag_len < 16 + 16 + mac_len || (frag_len - 16 - mac_len) % 16 != 0) return std::nullopt;
    const size_t ivct_len = frag_len - mac_len;
    uint8_t pseudo[13];
    tls12_aad(pseudo, seq, outer_type, ivct_len);
    const Bytes mac = hmac(s, k, pseudo, {frag, ivct_len});
    if (std::memcmp(mac.data(), frag + ivct_len, mac_len) != 0) return std::nullopt;
    Bytes pt(ivct_len - 16);
    if (!cbc(s, k, frag, frag + 16, pt.size(), pt.data(), false)) return std::nullopt;
    const size_t pad = pt.back();
    if (pad + 1 > pt.size()) return std::nullopt;
    for (size_t i = 0; i <= pad; ++i) {
      if (pt[pt.size() - 1 - i] != pad) return std::nullopt;
    }
    pt.resize(pt.size() - pad - 1);
    out.plaintext = std::move(pt);
    return out;
  }
  if (frag_len < 16 + 16 || (frag_len - 16) % 16 != 0) return std::nullopt;
  Bytes dec(frag_len - 16);
  if (!cbc(s, k, frag, frag + 16, dec.size(), dec.data(), false)) return std::nullopt;
  const size_t pad = dec.back();
  if (pad + 1 + mac_len > dec.size()) return std::nullopt;
  for (size_t i = 0; i <= pad; ++i) {
    if (dec[dec.size() - 1 - i] != pad) return std::nullopt;
  }
  const size_t pt_len = dec.size() - pad - 1 - mac_len;
  uint8_t pseudo[13];
  tls12_aad(pseudo, seq, outer_type, pt_len);
  const Bytes mac = hmac(s, k, pseudo, {dec.data(), pt_len});
  if (std::memcmp(mac.data(), dec.data() + pt_len, mac_len) != 0) return std::nullopt;
  dec.resize(pt_len);
  out.plaintext = std::move(dec);
  return out;
}

Bytes reference_seal(const DirectionKeys& k, uint64_t seq, ContentType type, std::span<const uint8_t> pt,
                     std::span<const uint8_t> explicit_iv, size_t padding_len) {
  const Suite s = k.suite;
  const auto& info = suite_info(s);
  Bytes rec(record::header_len);
  if (info.family != CipherFamily::aes_cbc_hmac) {
    uint8_t nonce[12];
    Bytes explicit_part;
    if (info.record_iv_len == 8) {
      explicit_part.assign(explicit_iv.begin(), explicit_iv.begin() + 8);
      std::memcpy(nonce, k.iv.data(), 4);
      std::memcpy(nonce + 4, explicit_part.data(), 8);
    } else {
      seq_nonce(nonce, k, seq);
    }
    Bytes inner(pt.begin(), pt.end());
    ContentType outer = type;
    if (record::is_tls13(s)) {
      inner.push_back(static_cast<uint8_t>(type));
      inner.insert(inner.end(), padding_len, 0);
      outer = ContentType::application_data;
    }
    const size_t frag_len = explicit_part.size() + inner.size() + 16;
    record::write_header(rec.data(), outer, record::legacy_record_version, static_cast<uint16_t>(frag_len));
    rec.insert(rec.end(), explicit_part.begin(), explicit_part.end());
    Bytes ct(inner.size());
    uint8_t tag[16];
    if (record::is_tls13(s)) {
      aead(s, k, nonce, std::span<const uint8_t>(rec.data(), record::header_len), inner, ct.data(), tag, true);
    } else {
      uint8_t aad[13];
      tls12_aad(aad, seq, type, inner.size());
      aead(s, k, nonce, aad, inner, ct.data(), tag, true);
    }
    rec.insert(rec.end(), ct.begin(), ct.end());
    rec.insert(rec.end(), tag, tag + 16);
    return rec;
  }

  const size_t mac_len = info.tag_len;
  const uint8_t* iv = explicit_iv.data();
  if (k.encrypt_then_mac) {
    Bytes padded(pt.begin(), pt.end());
    const size_t pad = 15 - padded.size() % 16;
    padded.insert(padded.end(), pad + 1, static_cast<uint8_t>(pad));
    Bytes ivct(iv, iv + 16);
    ivct.resize(16 + padded.size());
    cbc(s, k, iv, padded.data(), padded.size(), ivct.data() + 16, true);
    uint8_t pseudo[13];
    tls12_aad(pseudo, seq, type, ivct.size());
    const Bytes mac = hmac(s, k, pseudo, ivct);
    record::write_header(rec.data(), type, record::legacy_record_version,
                         static_cast<uint16_t>(ivct.size() + mac_len));
    rec.insert(rec.end(), ivct.begin(), ivct.end());
    rec.insert(rec.end(), mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(mac_len));
    return rec;
  }
  uint8_t pseudo[13];
  tls12_aad(pseudo, seq, type, pt.size());
  const Bytes mac = hmac(s, k, pseudo, pt);
  Bytes padded(pt.begin(), pt.end());
  padded.insert(padded.end(), mac.begin(), mac.begin() + static_cast<std::ptrdiff_t>(mac_len));
  const size_t pad = 15 - padded.size() % 16;
  padded.insert(padded.end(), pad + 1, static_cast<uint8_t>(pad));
  record::write_header(rec.data(), type, record::legacy_record_version, static_cast<uint16_t>(16 + padded.size()));
  rec.insert(rec.end(), iv, iv + 16);
  const size_t off = rec.size();
  rec.resize(off + padded.size());
  cbc(s, k, iv, padded.data(), padded.size(), rec.data() + off, true);
  return rec;
}

DirectionKeys random_keys(Suite suite, uint64_t seed, bool encrypt_then_mac) {
  std::mt19937_64 rng(seed);
  const auto& info = suite_info(suite);
  Bytes key(info.key_len), iv(info.fixed_iv_len), mac(info.mac_key_len);
  for (auto& b : key) b = static_cast<uint8_t>(rng());
  for (auto& b : iv) b = static_cast<uint8_t>(rng());
  for (auto& b : mac) b = static_cast<uint8_t>(rng());
  DirectionKeys k = DirectionKeys::make(suite, key, iv, mac, 0);
  k.encrypt_then_mac = encrypt_then_mac;
  return k;
}

}  // namespace tlsburst::engine::test
