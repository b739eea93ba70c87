// PRF and key schedule: known answers from vector files, and a cross-check against libcrypto's
// own TLS 1.2 PRF (EVP_KDF "TLS1-PRF") over random secrets, seeds and output lengths.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <random>

#include "handshake/crypto/key_schedule.hpp"
#include "handshake/crypto/prf.hpp"
#include "handshake/tls12/cipher_suite.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {
namespace {

using test::from_hex;
using test::to_hex;

HashAlgorithm hash_from_name(const std::string& n) {
  if (n == "SHA256") return HashAlgorithm::sha256;
  if (n == "SHA384") return HashAlgorithm::sha384;
  ADD_FAILURE() << "unknown hash " << n;
  return HashAlgorithm::sha256;
}

TEST(PrfTest, KnownAnswers) {
  const auto blocks = test::read_vector_file("prf.txt");
  ASSERT_EQ(blocks.size(), 2u);
  for (const auto& v : blocks) {
    const auto secret = from_hex(v.at("secret"));
    const auto seed = from_hex(v.at("seed"));
    const auto expected = from_hex(v.at("output"));
    std::vector<uint8_t> out(expected.size());
    ASSERT_TRUE(prf(hash_from_name(v.at("hash")), secret, v.at("label"), seed, {}, out).ok());
    EXPECT_EQ(to_hex(out), to_hex(expected)) << v.at("hash");
    // The seed given in two parts gives the same output.
    std::vector<uint8_t> split(expected.size());
    const std::span<const uint8_t> s(seed);
    ASSERT_TRUE(prf(hash_from_name(v.at("hash")), secret, v.at("label"), s.first(5), s.subspan(5), split).ok());
    EXPECT_EQ(split, expected);
    // Every prefix of the output is the output of a shorter request.
    for (size_t len : {size_t{1}, size_t{31}, size_t{32}, size_t{33}, size_t{48}, expected.size() - 1}) {
      std::vector<uint8_t> prefix(len);
      ASSERT_TRUE(prf(hash_from_name(v.at("hash")), secret, v.at("label"), seed, {}, prefix).ok());
      EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), expected.begin())) << len;
    }
  }
}

// libcrypto's TLS1-PRF: label and seed go in as one seed.
std::vector<uint8_t> reference_prf(HashAlgorithm h, std::span<const uint8_t> secret, std::string_view label,
                                   std::span<const uint8_t> seed, size_t len) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  std::vector<uint8_t> full_seed(label.begin(), label.end());
  full_seed.insert(full_seed.end(), seed.begin(), seed.end());
  std::string digest(hash_name(h));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<uint8_t*>(secret.data()), secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, full_seed.data(), full_seed.size()),
      OSSL_PARAM_construct_end(),
  };
  std::vector<uint8_t> out(len);
  EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params), 1);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

TEST(PrfTest, MatchesLibcryptoTls1Prf) {
  std::mt19937 rng(12345);
  for (HashAlgorithm h : {HashAlgorithm::sha256, HashAlgorithm::sha384}) {
    for (int i = 0; i < 200; ++i) {
      std::vector<uint8_t> secret(1 + rng() % 100), seed(rng() % 130);
      for (auto& b : secret) b = static_cast<uint8_t>(rng());
      for (auto& b : seed) b = static_cast<uint8_t>(rng());
      const size_t len = 1 + rng() % 200;
      const std::string label = i % 2 ? "key expansion" : "master secret";
      std::vector<uint8_t> ours(len);
      ASSERT_TRUE(prf(h, secret, label, seed, {}, ours).ok());
      ASSERT_EQ(to_hex(ours), to_hex(reference_prf(h, secret, label, seed, len))) << i;
    }
  }
}

TEST(KeyScheduleTest, MasterSecretAndKeyBlockKnownAnswer) {
  const auto blocks = test::read_vector_file("key_schedule.txt");
  ASSERT_EQ(blocks.size(), 1u);
  const auto& v = blocks[0];
  const auto suite = cipher_suite_from_name(v.at("suite"));
  ASSERT_TRUE(suite.has_value());
  const CipherSuiteInfo& info = cipher_suite_info(*suite);
  Random client_random{}, server_random{};
  const auto cr = from_hex(v.at("client_random")), sr = from_hex(v.at("server_random"));
  std::copy(cr.begin(), cr.end(), client_random.begin());
  std::copy(sr.begin(), sr.end(), server_random.begin());

  PreMasterSecret pms;
  const auto pms_bytes = from_hex(v.at("premaster"));
  auto storage = pms.prepare(pms_bytes.size());
  std::copy(pms_bytes.begin(), pms_bytes.end(), storage.begin());
  auto ms = MasterSecret::derive(info.prf_hash, std::move(pms), client_random, server_random);
  ASSERT_TRUE(ms.ok());
  EXPECT_EQ(to_hex(ms->bytes()), v.at("master"));
  EXPECT_TRUE(pms.bytes().empty()) << "the premaster is consumed";

  auto keys = ms->expand_traffic_keys(info.record_suite, false, client_random, server_random);
  ASSERT_TRUE(keys.ok());
  const auto& c = keys->client_write;
  const auto& s = keys->server_write;
  EXPECT_EQ(to_hex({c.mac_key.data(), c.mac_key_len}), v.at("client_mac_key"));
  EXPECT_EQ(to_hex({s.mac_key.data(), s.mac_key_len}), v.at("server_mac_key"));
  EXPECT_EQ(to_hex({c.key.data(), c.key_len}), v.at("client_key"));
  EXPECT_EQ(to_hex({s.key.data(), s.key_len}), v.at("server_key"));
  EXPECT_EQ(c.iv_len, 0) << "TLS 1.2 CBC suites carry explicit IVs";
  EXPECT_EQ(c.initial_seq, 0u);
  EXPECT_EQ(c.suite, record::Suite::tls12_aes_128_cbc_sha);

  // The raw key block, including the bytes the illustration uses as IVs.
  const auto block = from_hex(v.at("key_block"));
  std::vector<uint8_t> raw(block.size());
  ASSERT_TRUE(prf(HashAlgorithm::sha256, ms->bytes(), "key expansion", server_random, client_random, raw).ok());
  EXPECT_EQ(raw, block);
}

TEST(KeyScheduleTest, AeadKeyBlockLayout) {
  // For an AEAD suite the key block is client key, server key, client IV, server IV.
  PreMasterSecret pms;
  auto st = pms.prepare(32);
  std::fill(st.begin(), st.end(), 7);
  Random cr{}, sr{};
  cr.fill(1);
  sr.fill(2);
  auto ms = MasterSecret::derive(HashAlgorithm::sha384, std::move(pms), cr, sr);
  ASSERT_TRUE(ms.ok());
  auto keys = ms->expand_traffic_keys(record::Suite::tls12_aes_256_gcm, true, cr, sr);
  ASSERT_TRUE(keys.ok());
  std::vector<uint8_t> raw(2 * 32 + 2 * 4);
  ASSERT_TRUE(prf(HashAlgorithm::sha384, ms->bytes(), "key expansion", sr, cr, raw).ok());
  const auto& c = keys->client_write;
  const auto& s = keys->server_write;
  EXPECT_TRUE(std::equal(c.key.begin(), c.key.begin() + 32, raw.begin()));
  EXPECT_TRUE(std::equal(s.key.begin(), s.key.begin() + 32, raw.begin() + 32));
  EXPECT_TRUE(std::equal(c.iv.begin(), c.iv.begin() + 4, raw.begin() + 64));
  EXPECT_TRUE(std::equal(s.iv.begin(), s.iv.begin() + 4, raw.begin() + 68));
  EXPECT_EQ(c.key_len, 32);
  EXPECT_EQ(c.iv_len, 4);
  EXPECT_EQ(c.mac_key_len, 0);
  EXPECT_FALSE(c.encrypt_then_mac) << "encrypt-then-MAC never applies to AEAD suites";
}

TEST(KeyScheduleTest, ExtendedMasterSecretUsesTheSessionHash) {
  auto make_pms = [] {
    PreMasterSecret p;
    auto s = p.prepare(48);
    std::fill(s.begin(), s.end(), 0x42);
    return p;
  };
  std::vector<uint8_t> session_hash(32, 0x55);
  auto ems = MasterSecret::derive_extended(HashAlgorithm::sha256, make_pms(), session_hash);
  ASSERT_TRUE(ems.ok());
  const std::vector<uint8_t> pms_bytes(48, 0x42);
  std::vector<uint8_t> expected(48);
  ASSERT_TRUE(prf(HashAlgorithm::sha256, pms_bytes, "extended master secret", session_hash, {}, expected).ok());
  EXPECT_EQ(to_hex(ems->bytes()), to_hex(expected));
  EXPECT_EQ(to_hex(reference_prf(HashAlgorithm::sha256, pms_bytes, "extended master secret", session_hash, 48)),
            to_hex(expected));
}

TEST(KeyScheduleTest, FinishedVerifyData) {
  PreMasterSecret p;
  auto s = p.prepare(32);
  std::fill(s.begin(), s.end(), 9);
  Random cr{}, sr{};
  auto ms = MasterSecret::derive(HashAlgorithm::sha256, std::move(p), cr, sr);
  ASSERT_TRUE(ms.ok());
  std::vector<uint8_t> hash(32, 0xab);
  auto client = ms->finished_verify_data(Role::client, hash);
  auto server = ms->finished_verify_data(Role::server, hash);
  ASSERT_TRUE(client.ok() && server.ok());
  EXPECT_NE(*client, *server);
  const auto expected = reference_prf(HashAlgorithm::sha256, ms->bytes(), "client finished", hash, 12);
  EXPECT_TRUE(std::equal(client->begin(), client->end(), expected.begin()));
}

}  // namespace
}  // namespace tlsburst::handshake
