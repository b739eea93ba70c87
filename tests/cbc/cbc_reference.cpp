#include "tests/cbc/cbc_reference.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <memory>

namespace tlsburst::record::test {

namespace {

const EVP_MD* md_of(Suite s) {
  switch (suite_info(s).mac) {
    case MacAlgorithm::hmac_sha1: return EVP_sha1();
    case MacAlgorithm::hmac_sha256: return EVP_sha256();
    case MacAlgorithm::hmac_sha384: return EVP_sha384();
    case MacAlgorithm::none: break;
  }
  return nullptr;
}

void put_be16(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

Bytes header(uint8_t type, size_t fragment_len) {
  Bytes h{type, 0x03, 0x03};
  put_be16(h, static_cast<uint16_t>(fragment_len));
  return h;
}

}  // namespace

std::vector<Suite> cbc_suites() {
  std::vector<Suite> out;
  for (const SuiteInfo& info : suite_table) {
    if (info.family == CipherFamily::aes_cbc_hmac) out.push_back(info.suite);
  }
  return out;
}

DirectionKeys CbcTestKeys::direction_keys(uint64_t initial_seq) const {
  DirectionKeys k = DirectionKeys::make(suite, key, {}, mac_key, initial_seq);
  k.encrypt_then_mac = encrypt_then_mac;
  return k;
}

CbcTestKeys CbcTestKeys::random(Suite suite, bool encrypt_then_mac, Rng& rng) {
  const SuiteInfo& info = suite_info(suite);
  return CbcTestKeys{suite, rng.bytes(info.key_len), rng.bytes(info.mac_key_len), encrypt_then_mac};
}

size_t cbc_mac_len(Suite s) { return suite_info(s).tag_len; }

Bytes ref_hmac(Suite s, std::span<const uint8_t> mac_key, std::span<const uint8_t> data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  static const uint8_t empty = 0;
  HMAC(md_of(s), mac_key.data(), static_cast<int>(mac_key.size()), data.empty() ? &empty : data.data(), data.size(),
       out.data(), &len);
  out.resize(len);
  return out;
}

Bytes ref_cbc(Suite s, std::span<const uint8_t> key, std::span<const uint8_t> iv, std::span<const uint8_t> data,
              bool encrypt) {
  const EVP_CIPHER* cipher = suite_info(s).key_len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  Bytes out(data.size() + 16);
  int len = 0, fin = 0;
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.data(), iv.data(), encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + len, &fin) != 1) {
    return {};
  }
  out.resize(static_cast<size_t>(len + fin));
  return out;
}

Bytes ref_pseudo_header(uint64_t seq, uint8_t type, uint16_t version, uint16_t length) {
  Bytes h;
  for (int i = 7; i >= 0; --i) h.push_back(static_cast<uint8_t>(seq >> (8 * i)));
  h.push_back(type);
  put_be16(h, version);
  put_be16(h, length);
  return h;
}

std::vector<uint32_t> valid_padding_lens(const CbcTestKeys& keys, size_t content_len) {
  const size_t unpadded = content_len + (keys.encrypt_then_mac ? 0 : cbc_mac_len(keys.suite)) + 1;
  std::vector<uint32_t> out;
  for (uint32_t pad = 0; pad <= 255; ++pad) {
    if ((unpadded + pad) % 16 == 0) out.push_back(pad);
  }
  return out;
}

Bytes ref_seal_body(const CbcTestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> body,
                    std::span<const uint8_t> iv) {
  const Bytes ct = ref_cbc(keys.suite, keys.key, iv, body, true);
  const size_t mac_len = keys.encrypt_then_mac ? cbc_mac_len(keys.suite) : 0;
  Bytes rec = header(type, iv.size() + ct.size() + mac_len);
  rec.insert(rec.end(), iv.begin(), iv.end());
  rec.insert(rec.end(), ct.begin(), ct.end());
  if (keys.encrypt_then_mac) {
    Bytes input = ref_pseudo_header(seq, type, 0x0303, static_cast<uint16_t>(iv.size() + ct.size()));
    input.insert(input.end(), iv.begin(), iv.end());
    input.insert(input.end(), ct.begin(), ct.end());
    const Bytes mac = ref_hmac(keys.suite, keys.mac_key, input);
    rec.insert(rec.end(), mac.begin(), mac.end());
  }
  return rec;
}

Bytes ref_seal(const CbcTestKeys& keys, uint64_t seq, uint8_t type, std::span<const uint8_t> content, uint32_t pad,
               std::span<const uint8_t> iv) {
  Bytes body(content.begin(), content.end());
  if (!keys.encrypt_then_mac) {
    Bytes input = ref_pseudo_header(seq, type, 0x0303, static_cast<uint16_t>(content.size()));
    input.insert(input.end(), content.begin(), content.end());
    const Bytes mac = ref_hmac(keys.suite, keys.mac_key, input);
    body.insert(body.end(), mac.begin(), mac.end());
  }
  body.insert(body.end(), pad + 1, static_cast<uint8_t>(pad));
  return ref_seal_body(keys, seq, type, body, iv);
}

std::optional<RefOpened> ref_open(const CbcTestKeys& keys, uint64_t seq, std::span<const uint8_t> record) {
  const size_t mac_len = cbc_mac_len(keys.suite);
  if (record.size() < 5) return std::nullopt;
  const size_t fragment_len = (size_t{record[3]} << 8) | record[4];
  if (fragment_len != record.size() - 5) return std::nullopt;
  const uint8_t type = record[0];
  const uint16_t version = static_cast<uint16_t>((record[1] << 8) | record[2]);
  const auto iv = record.subspan(5, std::min<size_t>(16, record.size() - 5));
  if (iv.size() < 16) return std::nullopt;
  if (keys.encrypt_then_mac) {
    if (fragment_len < 16 + 16 + mac_len || (fragment_len - 16 - mac_len) % 16 != 0) return std::nullopt;
    const auto ct = record.subspan(21, fragment_len - 16 - mac_len);
    Bytes input = ref_pseudo_header(seq, type, version, static_cast<uint16_t>(16 + ct.size()));
    input.insert(input.end(), iv.begin(), iv.end());
    input.insert(input.end(), ct.begin(), ct.end());
    const Bytes mac = ref_hmac(keys.suite, keys.mac_key, input);
    if (std::memcmp(mac.data(), ct.data() + ct.size(), mac_len) != 0) return std::nullopt;
    const Bytes body = ref_cbc(keys.suite, keys.key, iv, ct, false);
    const uint32_t pad = body.back();
    if (pad + 1 > body.size()) return std::nullopt;
    for (size_t i = body.size() - 1 - pad; i < body.size(); ++i) {
      if (body[i] != pad) return std::nullopt;
    }
    return RefOpened{type, Bytes(body.begin(), body.end() - pad - 1)};
  }
  if (fragment_len < 32 || fragment_len % 16 != 0) return std::nullopt;
  const Bytes body = ref_cbc(keys.suite, keys.key, iv, record.subspan(21), false);
  const uint32_t pad = body.back();
  if (pad + 1 + mac_len > body.size()) return std::nullopt;
  for (size_t i = body.size() - 1 - pad; i < body.size(); ++i) {
    if (body[i] != pad) return std::nullopt;
  }
  const size_t content_len = body.size() - pad - 1 - mac_len;
  Bytes input = ref_pseudo_header(seq, type, version, static_cast<uint16_t>(content_len));
  input.insert(input.end(), body.begin(), body.begin() + content_len);
  const Bytes mac = ref_hmac(keys.suite, keys.mac_key, input);
  if (std::memcmp(mac.data(), body.data() + content_len, mac_len) != 0) return std::nullopt;
  return RefOpened{type, Bytes(body.begin(), body.begin() + content_len)};
}

}  // namespace tlsburst::record::test
