// Known-answer tests: every published vector in tests/record/vectors/, read by one table-driven
// test, on every ipsec-mb path and AEAD kernel, in both directions, and against OpenSSL.
//   rfc8448_records.txt            whole TLS 1.3 records (RFC 8448 section 3) through process()
//   illustrated_tls13_records.txt  a TLS_AES_256_GCM_SHA384 record from tls13.xargs.org
//   rfc8439_chacha20_poly1305.txt  raw ChaCha20-Poly1305 (RFC 8439 2.8.2, A.5)
//   gcm_mcgrew_viega.txt           raw AES-GCM (McGrew-Viega test cases 1-4, 13-16)
// The raw AEAD vectors have AADs that no TLS record can carry (12 or 20 bytes, or none), so they
// run through ipsec-mb's direct API on the key material install_keys() left in a DirectionState;
// the TLS framing around the AEAD is checked by the RFC 8448 records and record_layout_test.cpp.
#include <gtest/gtest.h>
#include <intel-ipsec-mb.h>

#include <cstring>
#include <string>

#include "engine/record/direction_state.hpp"
#include "engine/record/record_processor.hpp"
#include "tests/record/reference_tls.hpp"
#include "tests/record/test_support.hpp"
#include "tests/record/vector_file.hpp"

namespace tlsburst::record::test {
namespace {

enum class VectorKind { tls_record, raw_aead };

struct VectorTableRow {
  const char* file;
  VectorKind kind;
  size_t min_vectors;  // guards against a truncated or mis-parsed file
};

constexpr VectorTableRow vector_table[] = {
    {"rfc8448_records.txt", VectorKind::tls_record, 7},
    {"illustrated_tls13_records.txt", VectorKind::tls_record, 1},
    {"rfc8439_chacha20_poly1305.txt", VectorKind::raw_aead, 2},
    {"gcm_mcgrew_viega.txt", VectorKind::raw_aead, 8},
};

struct Where {
  std::string text;
};

// ---- TLS records ---------------------------------------------------------------------------

struct RecordVector {
  TestKeys keys;
  uint64_t seq = 0;
  uint8_t type = 0;
  size_t padding_len = 0;
  Bytes content;
  Bytes record;
};

std::optional<RecordVector> parse_record_vector(const VectorBlock& b) {
  auto suite = suite_from_name(b.text("suite"));
  auto key = b.hex("key"), iv = b.hex("iv"), content = b.hex("content"), record = b.hex("record");
  auto seq = b.number("seq"), type = b.number("type"), padding = b.number("padding");
  if (!suite || !key || !iv || !content || !record || !seq || !type || !padding || *type == 0 || *type > 255) {
    return std::nullopt;
  }
  return RecordVector{TestKeys{*suite, *key, *iv}, *seq, static_cast<uint8_t>(*type), *padding, *content, *record};
}

// The vector itself against OpenSSL: proves the file (and the reference backend) right.
void check_record_vector_with_openssl(const RecordVector& v, const Where& where) {
  auto opened = ref_open(v.keys, v.seq, v.record);
  ASSERT_TRUE(opened.has_value()) << where.text << ": OpenSSL cannot open the published record";
  EXPECT_EQ(opened->type, v.type) << where.text;
  EXPECT_EQ(opened->padding_len, v.padding_len) << where.text;
  EXPECT_EQ(to_hex(opened->content), to_hex(v.content)) << where.text;
  EXPECT_EQ(to_hex(ref_seal(v.keys, v.seq, v.type, v.content, v.padding_len)), to_hex(v.record)) << where.text;
}

void run_record_vector(RecordProcessor& proc, const RecordVector& v, const Where& where) {
  const Suite suite = v.keys.suite;
  {  // open the published record
    DirectionState state;
    ASSERT_TRUE(proc.install(state, v.keys.direction_keys(v.seq)).ok()) << where.text;
    RecordBuffer buf(v.record.size());
    RecordOp op = open_op(state, buf, v.record);
    ASSERT_EQ(run_one(proc, op), RecordStatus::ok) << where.text << ": open: " << status_name(op.status);
    EXPECT_EQ(static_cast<int>(op.type), v.type) << where.text;
    EXPECT_EQ(op.seq, v.seq) << where.text;
    EXPECT_EQ(state.seq, v.seq + 1) << where.text;
    ASSERT_EQ(op.length, v.content.size()) << where.text;
    EXPECT_EQ(to_hex(buf.span(header_room(suite), op.length)), to_hex(v.content)) << where.text << ": open plaintext";
    EXPECT_TRUE(buf.guard_intact()) << where.text;
  }
  {  // seal the published content and compare byte for byte
    DirectionState state;
    ASSERT_TRUE(proc.install(state, v.keys.direction_keys(v.seq)).ok()) << where.text;
    RecordBuffer buf(header_room(suite) + v.content.size() + tail_room(suite, v.padding_len));
    RecordOp op = seal_op(state, buf, v.content, static_cast<ContentType>(v.type),
                          static_cast<uint16_t>(v.padding_len));
    ASSERT_EQ(run_one(proc, op), RecordStatus::ok) << where.text << ": seal: " << status_name(op.status);
    EXPECT_EQ(op.seq, v.seq) << where.text;
    ASSERT_EQ(op.length, v.record.size()) << where.text;
    EXPECT_EQ(to_hex(buf.span(0, op.length)), to_hex(v.record)) << where.text << ": sealed record";
    EXPECT_TRUE(buf.guard_intact()) << where.text;
  }
}

// ---- raw AEAD --------------------------------------------------------------------------------

struct AeadVector {
  AeadAlgorithm algorithm;
  Bytes key, nonce, aad, plaintext, ciphertext, tag;
};

std::optional<AeadVector> parse_aead_vector(const VectorBlock& b) {
  AeadVector v{};
  const std::string alg = b.text("algorithm");
  if (alg == "AES-GCM") {
    v.algorithm = AeadAlgorithm::aes_gcm;
  } else if (alg == "CHACHA20-POLY1305") {
    v.algorithm = AeadAlgorithm::chacha20_poly1305;
  } else {
    return std::nullopt;
  }
  auto key = b.hex("key"), nonce = b.hex("nonce"), aad = b.hex("aad"), pt = b.hex("plaintext"),
       ct = b.hex("ciphertext"), tag = b.hex("tag");
  if (!key || !nonce || !aad || !pt || !ct || !tag || nonce->size() != 12 || tag->size() != 16 ||
      pt->size() != ct->size()) {
    return std::nullopt;
  }
  v.key = *key;
  v.nonce = *nonce;
  v.aad = *aad;
  v.plaintext = *pt;
  v.ciphertext = *ct;
  v.tag = *tag;
  return v;
}

void check_aead_vector_with_openssl(const AeadVector& v, const Where& where) {
  Bytes expected = v.ciphertext;
  expected.insert(expected.end(), v.tag.begin(), v.tag.end());
  EXPECT_EQ(to_hex(evp_seal(v.algorithm, v.key, v.nonce, v.aad, v.plaintext)), to_hex(expected)) << where.text;
  auto opened = evp_open(v.algorithm, v.key, v.nonce, v.aad, expected);
  ASSERT_TRUE(opened.has_value()) << where.text;
  EXPECT_EQ(to_hex(*opened), to_hex(v.plaintext)) << where.text;
}

// The suites whose DirectionState can hold this key.
std::vector<Suite> suites_for(const AeadVector& v) {
  std::vector<Suite> out;
  for (Suite s : aead_suites()) {
    if (algorithm_of(s) == v.algorithm && suite_info(s).key_len == v.key.size()) out.push_back(s);
  }
  return out;
}

// Direct-API run on the expanded key material of `state`. Buffers are never null (ipsec-mb's
// parameter checks reject null pointers even for empty input).
void run_aead_on_state(IMB_MGR* mgr, DirectionState& state, const AeadVector& v, const Where& where) {
  const size_t len = v.plaintext.size();
  Bytes in = v.plaintext, out(len + 1, 0), tag(16, 0), back(len + 1, 0), dec_tag(16, 0);
  in.push_back(0);
  Bytes ct = v.ciphertext;
  ct.push_back(0);
  const uint8_t dummy_aad = 0;
  const uint8_t* aad = v.aad.empty() ? &dummy_aad : v.aad.data();
  if (v.algorithm == AeadAlgorithm::aes_gcm) {
    struct gcm_context_data ctx;
    if (v.key.size() == 16) {
      IMB_AES128_GCM_ENC(mgr, &state.keys.gcm, &ctx, out.data(), in.data(), len, v.nonce.data(), aad, v.aad.size(),
                         tag.data(), 16);
      IMB_AES128_GCM_DEC(mgr, &state.keys.gcm, &ctx, back.data(), ct.data(), len, v.nonce.data(), aad, v.aad.size(),
                         dec_tag.data(), 16);
    } else {
      IMB_AES256_GCM_ENC(mgr, &state.keys.gcm, &ctx, out.data(), in.data(), len, v.nonce.data(), aad, v.aad.size(),
                         tag.data(), 16);
      IMB_AES256_GCM_DEC(mgr, &state.keys.gcm, &ctx, back.data(), ct.data(), len, v.nonce.data(), aad, v.aad.size(),
                         dec_tag.data(), 16);
    }
  } else {
    struct chacha20_poly1305_context_data ctx;
    IMB_CHACHA20_POLY1305_INIT(mgr, state.keys.chacha.key, &ctx, v.nonce.data(), aad, v.aad.size());
    IMB_CHACHA20_POLY1305_ENC_UPDATE(mgr, state.keys.chacha.key, &ctx, out.data(), in.data(), len);
    IMB_CHACHA20_POLY1305_ENC_FINALIZE(mgr, &ctx, tag.data(), 16);
    IMB_CHACHA20_POLY1305_INIT(mgr, state.keys.chacha.key, &ctx, v.nonce.data(), aad, v.aad.size());
    IMB_CHACHA20_POLY1305_DEC_UPDATE(mgr, state.keys.chacha.key, &ctx, back.data(), ct.data(), len);
    IMB_CHACHA20_POLY1305_DEC_FINALIZE(mgr, &ctx, dec_tag.data(), 16);
  }
  ASSERT_EQ(imb_get_errno(mgr), 0) << where.text << ": ipsec-mb: " << imb_get_strerror(imb_get_errno(mgr));
  out.resize(len);
  back.resize(len);
  EXPECT_EQ(to_hex(out), to_hex(v.ciphertext)) << where.text << ": ciphertext";
  EXPECT_EQ(to_hex(tag), to_hex(v.tag)) << where.text << ": tag";
  EXPECT_EQ(to_hex(back), to_hex(v.plaintext)) << where.text << ": decrypted";
  EXPECT_EQ(to_hex(dec_tag), to_hex(v.tag)) << where.text << ": decryption tag";
}

void run_aead_vector(RecordProcessor& proc, const AeadVector& v, const Where& where) {
  const std::vector<Suite> suites = suites_for(v);
  ASSERT_FALSE(suites.empty()) << where.text << ": no suite takes this key";
  for (Suite s : suites) {
    const Bytes iv(suite_info(s).fixed_iv_len, 0x5c);
    DirectionState state;
    ASSERT_TRUE(proc.install(state, DirectionKeys::make(s, v.key, iv)).ok()) << where.text;
    ASSERT_EQ(state.arch, proc.arch()) << where.text;
    run_aead_on_state(proc.manager().get(), state, v, Where{where.text + " via " + std::string(suite_name(s))});
  }
}

// ---- the table-driven test -----------------------------------------------------------------------

TEST(KnownAnswerTest, VectorFiles) {
  const std::vector<ImbArch> archs = available_archs();
  ASSERT_FALSE(archs.empty());
  size_t num_runs = 0;
  for (const VectorTableRow& row : vector_table) {
    const VectorFile file = read_vector_file(vector_dir() + "/" + row.file);
    ASSERT_TRUE(file.error.empty()) << file.error;
    ASSERT_GE(file.blocks.size(), row.min_vectors) << file.path;
    for (const VectorBlock& block : file.blocks) {
      const Where where{file.path + ":" + std::to_string(block.line) + " (" + block.text("name") + ")"};
      if (row.kind == VectorKind::tls_record) {
        auto v = parse_record_vector(block);
        ASSERT_TRUE(v.has_value()) << where.text << ": malformed record vector";
        check_record_vector_with_openssl(*v, where);
        for (ImbArch arch : archs) {
          for (AeadKernel kernel : {AeadKernel::direct, AeadKernel::burst}) {
            auto proc = make_processor(arch, kernel);
            ASSERT_TRUE(proc.has_value());
            run_record_vector(*proc, *v,
                              Where{where.text + " on " + std::string(arch_name(arch)) + "/" + kernel_name(kernel)});
            ++num_runs;
          }
        }
      } else {
        auto v = parse_aead_vector(block);
        ASSERT_TRUE(v.has_value()) << where.text << ": malformed AEAD vector";
        check_aead_vector_with_openssl(*v, where);
        for (ImbArch arch : archs) {
          auto proc = make_processor(arch);
          ASSERT_TRUE(proc.has_value());
          run_aead_vector(*proc, *v, Where{where.text + " on " + std::string(arch_name(arch))});
          ++num_runs;
        }
      }
    }
  }
  EXPECT_GT(num_runs, 0u);
}

}  // namespace
}  // namespace tlsburst::record::test
