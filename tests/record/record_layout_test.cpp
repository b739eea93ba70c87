// Hand-checked record layouts: the expected record is assembled here byte by byte from the RFC
// rules (only the AEAD itself comes from OpenSSL EVP) and compared field by field with what
// RecordProcessor seals:
//   TLS 1.2 AES-GCM (RFC 5288 3, RFC 5246 6.2.3.3): type | 03 03 | len16 | explicit nonce = seq |
//     ciphertext | tag, with nonce = salt || explicit nonce and AAD = seq || type || 03 03 || plen.
//   TLS 1.2 ChaCha20-Poly1305 (RFC 7905 2): type | 03 03 | len16 | ciphertext | tag, with
//     nonce = iv xor (0^32 || seq) and the same AAD.
//   TLS 1.3 (RFC 8446 5.2): 17 | 03 03 | len16 | AEAD(content || type || zeros) | tag, AAD = header.
#include <gtest/gtest.h>

#include "engine/record/record_processor.hpp"
#include "tests/record/reference_tls.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {
namespace {

struct LayoutCase {
  uint64_t seq;
  ContentType type;
  size_t len;
  uint16_t padding_len;  // TLS 1.3 only
};

const LayoutCase layout_cases[] = {
    {0, ContentType::application_data, 0, 0},
    {1, ContentType::handshake, 1, 0},
    {0x0102030405060708ull, ContentType::application_data, 16, 0},
    {0x00000000ffffffffull, ContentType::alert, 2, 3},
    {0xfedcba9876543210ull, ContentType::application_data, 100, 0},
    {0xfffffffffffffffdull, ContentType::handshake, 1000, 17},
    {42, ContentType::application_data, 16384, 0},
};

Bytes fixed_bytes(size_t len, uint8_t start) {
  Bytes b(len);
  for (size_t i = 0; i < len; ++i) b[i] = static_cast<uint8_t>(start + 7 * i);
  return b;
}

class RecordLayoutTest : public ::testing::TestWithParam<Suite> {};

TEST_P(RecordLayoutTest, SealedRecordMatchesTheRfcLayout) {
  const Suite suite = GetParam();
  const SuiteInfo& info = suite_info(suite);
  const bool tls13 = is_tls13(suite);
  const bool gcm = info.family == CipherFamily::aes_gcm;
  const Bytes key = fixed_bytes(info.key_len, 0x11);
  const Bytes iv = fixed_bytes(info.fixed_iv_len, 0xa0);
  const AeadAlgorithm alg = gcm ? AeadAlgorithm::aes_gcm : AeadAlgorithm::chacha20_poly1305;

  for (ImbArch arch : available_archs()) {
    auto proc = make_processor(arch);
    ASSERT_TRUE(proc.has_value());
    for (const LayoutCase& c : layout_cases) {
      const uint16_t padding_len = tls13 ? c.padding_len : 0;
      // TLS 1.3 AES-GCM keys stop at 2^24.5 records: keep such sequence numbers below the limit.
      const uint64_t seq = c.seq < info.max_records ? c.seq : info.max_records - 1 - (c.seq & 0xff);
      const uint8_t type = static_cast<uint8_t>(c.type);
      const Bytes content = fixed_bytes(c.len, static_cast<uint8_t>(c.len));
      const std::string where = std::string(arch_name(arch)) + " seq=" + std::to_string(seq) +
                                " len=" + std::to_string(c.len) + " pad=" + std::to_string(padding_len);

      // --- the expected record, from the RFC rules ---
      uint8_t seq_be[8];
      for (int i = 0; i < 8; ++i) seq_be[i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
      Bytes nonce(12);
      if (gcm && !tls13) {
        for (int i = 0; i < 4; ++i) nonce[i] = iv[i];              // salt
        for (int i = 0; i < 8; ++i) nonce[4 + i] = seq_be[i];      // explicit nonce = seq
      } else {
        for (int i = 0; i < 12; ++i) nonce[i] = iv[i];
        for (int i = 0; i < 8; ++i) nonce[4 + i] ^= seq_be[i];     // iv xor padded seq
      }
      Bytes aead_input = content;
      if (tls13) {
        aead_input.push_back(type);
        aead_input.insert(aead_input.end(), padding_len, 0);
      }
      const size_t explicit_len = (gcm && !tls13) ? 8 : 0;
      const size_t fragment_len = explicit_len + aead_input.size() + 16;
      Bytes header = {tls13 ? uint8_t{23} : type, 0x03, 0x03, static_cast<uint8_t>(fragment_len >> 8),
                      static_cast<uint8_t>(fragment_len)};
      Bytes aad;
      if (tls13) {
        aad = header;
      } else {
        aad.assign(seq_be, seq_be + 8);
        aad.push_back(type);
        aad.push_back(0x03);
        aad.push_back(0x03);
        aad.push_back(static_cast<uint8_t>(c.len >> 8));
        aad.push_back(static_cast<uint8_t>(c.len));
      }
      const Bytes sealed = evp_seal(alg, key, nonce, aad, aead_input);  // ciphertext || tag

      // --- ours ---
      DirectionState state;
      ASSERT_TRUE(proc->install(state, DirectionKeys::make(suite, key, iv, {}, seq)).ok());
      RecordBuffer buf(header_room(suite) + c.len + tail_room(suite, padding_len));
      RecordOp op = seal_op(state, buf, content, c.type, padding_len);
      ASSERT_EQ(run_one(*proc, op), RecordStatus::ok) << where << ": " << status_name(op.status);
      ASSERT_EQ(op.length, 5 + fragment_len) << where;
      ASSERT_EQ(op.seq, seq) << where;
      const uint8_t* rec = buf.data();

      EXPECT_EQ(to_hex({rec, 5}), to_hex(header)) << where << ": header";
      if (explicit_len != 0) {
        EXPECT_EQ(to_hex({rec + 5, 8}), to_hex({seq_be, 8})) << where << ": explicit nonce must be the seq";
      }
      const size_t ct_len = aead_input.size();
      EXPECT_EQ(to_hex({rec + 5 + explicit_len, ct_len}), to_hex({sealed.data(), ct_len})) << where << ": ciphertext";
      EXPECT_EQ(to_hex({rec + 5 + explicit_len + ct_len, 16}), to_hex({sealed.data() + ct_len, 16}))
          << where << ": tag (last 16 bytes)";
      EXPECT_TRUE(buf.guard_intact()) << where;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AeadSuites, RecordLayoutTest, ::testing::ValuesIn(aead_suites()),
                         [](const ::testing::TestParamInfo<Suite>& info) { return suite_id(info.param); });

}  // namespace
}  // namespace tlsburst::record::test
