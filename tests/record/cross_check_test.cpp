// Randomized cross-check against the OpenSSL reference (reference_tls.hpp), per suite, ipsec-mb
// path and AEAD kernel, in both directions:
//   ours seals   -> OpenSSL opens, and the record is byte-identical to the reference's;
//   OpenSSL seals -> ours opens (TLS 1.2 GCM: with random explicit nonces too, as peers may send).
// Each record draws a fresh key, IV, sequence number, content type, length (0..16384, weighted
// towards small sizes, 0 and 16384 always included), TLS 1.3 padding and buffer alignment.
// Seed: TLSBURST_TEST_SEED; records per case: TLSBURST_CROSS_CHECK_RECORDS (default 10000).
#include <gtest/gtest.h>

#include <sstream>
#include <tuple>

#include "engine/record/record_processor.hpp"
#include "tests/record/reference_tls.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {
namespace {

using CrossParam = std::tuple<Suite, ImbArch, AeadKernel>;

size_t random_length(Rng& rng, uint64_t index) {
  if (index == 0) return 0;
  if (index == 1) return max_plaintext_len;
  const uint64_t p = rng.below(100);
  if (p < 5) return 0;
  if (p < 9) return max_plaintext_len;
  if (p < 45) return rng.between(1, 64);
  if (p < 65) return rng.between(65, 512);
  if (p < 75) {  // on and around AES / ChaCha block and SIMD lane boundaries
    const size_t base = 16 * rng.between(1, max_plaintext_len / 16);
    const size_t len = base + rng.below(3) - 1;
    return std::min(len, max_plaintext_len);
  }
  if (p < 88) return rng.between(513, 4096);
  return rng.between(4097, max_plaintext_len);
}

uint16_t random_padding(Rng& rng, Suite suite, size_t len) {
  if (!is_tls13(suite) || len >= max_plaintext_len) return 0;
  const size_t room = max_plaintext_len - len;  // RFC 8446 5.4: content + padding <= 2^14
  const uint64_t p = rng.below(100);
  if (p < 65) return 0;
  if (p < 90) return static_cast<uint16_t>(rng.between(1, std::min<size_t>(64, room)));
  return static_cast<uint16_t>(rng.between(0, room));
}

uint64_t random_seq(Rng& rng, Suite suite) {
  const uint64_t limit = suite_info(suite).max_records;  // first sequence number that may not be used
  const uint64_t p = rng.below(100);
  if (p < 40) return rng.below(1000);
  if (p < 80) return rng.below(limit);
  return limit - 1 - rng.below(1000);
}

ContentType random_type(Rng& rng) {
  static constexpr ContentType types[] = {ContentType::application_data, ContentType::application_data,
                                          ContentType::handshake, ContentType::alert};
  return types[rng.below(4)];
}

struct Sample {
  uint64_t index;
  uint64_t seq;
  ContentType type;
  size_t len;
  uint16_t padding_len;
  size_t misalign;  // of the record buffer, from a 64-byte boundary
  std::optional<uint64_t> explicit_nonce;
};

std::string describe(const Sample& s, uint64_t seed) {
  std::ostringstream os;
  os << "record #" << s.index << " seq=" << s.seq << " type=" << static_cast<int>(s.type) << " len=" << s.len
     << " padding=" << s.padding_len << " misalign=" << s.misalign;
  if (s.explicit_nonce) os << " explicit_nonce=" << *s.explicit_nonce;
  os << " (reproduce with TLSBURST_TEST_SEED=" << seed << ")";
  return os.str();
}

class CrossCheckTest : public ::testing::TestWithParam<CrossParam> {
 protected:
  void SetUp() override {
    const ImbArch arch = std::get<1>(GetParam());
    const std::vector<ImbArch> archs = available_archs();
    if (std::find(archs.begin(), archs.end(), arch) == archs.end()) {
      GTEST_SKIP() << "ipsec-mb path " << arch_name(arch) << " is not available on this CPU";
    }
  }

  // Ours seals, OpenSSL opens. Returns false after the first mismatch.
  bool seal_and_check(RecordProcessor& proc, const TestKeys& keys, const Sample& s, const Bytes& content,
                      uint64_t seed) {
    const Suite suite = keys.suite;
    DirectionState state;
    const Status installed = proc.install(state, keys.direction_keys(s.seq));
    EXPECT_TRUE(installed.ok()) << describe(s, seed);
    if (!installed.ok()) return false;
    RecordBuffer buf(header_room(suite) + s.len + tail_room(suite, s.padding_len), s.misalign);  // just enough
    RecordOp op = seal_op(state, buf, content, s.type, s.padding_len);
    const uint32_t num_ok = proc.process(std::span<RecordOp>(&op, 1));
    EXPECT_EQ(num_ok, 1u) << describe(s, seed);
    EXPECT_EQ(op.status, RecordStatus::ok) << status_name(op.status) << " sealing " << describe(s, seed);
    if (op.status != RecordStatus::ok) return false;
    EXPECT_EQ(op.seq, s.seq) << describe(s, seed);
    EXPECT_EQ(state.seq, s.seq + 1) << describe(s, seed);
    EXPECT_TRUE(buf.guard_intact()) << "seal wrote past capacity: " << describe(s, seed);
    const std::span<const uint8_t> record(buf.data(), op.length);
    auto opened = ref_open(keys, s.seq, record);
    EXPECT_TRUE(opened.has_value()) << "OpenSSL cannot open our record: " << describe(s, seed);
    if (!opened) return false;
    EXPECT_EQ(opened->type, static_cast<uint8_t>(s.type)) << describe(s, seed);
    EXPECT_EQ(opened->padding_len, s.padding_len) << describe(s, seed);
    EXPECT_TRUE(opened->content == content) << "content differs: " << describe(s, seed);
    const Bytes expected = ref_seal(keys, s.seq, static_cast<uint8_t>(s.type), content, s.padding_len);
    EXPECT_TRUE(std::equal(record.begin(), record.end(), expected.begin(), expected.end()))
        << "record differs from the reference: " << describe(s, seed);
    return !::testing::Test::HasFailure();
  }

  // OpenSSL seals, ours opens.
  bool open_and_check(RecordProcessor& proc, const TestKeys& keys, const Sample& s, const Bytes& content,
                      uint64_t seed, Rng& rng) {
    const Suite suite = keys.suite;
    const Bytes record = ref_seal(keys, s.seq, static_cast<uint8_t>(s.type), content, s.padding_len, s.explicit_nonce);
    DirectionState state;
    const Status installed = proc.install(state, keys.direction_keys(s.seq));
    EXPECT_TRUE(installed.ok()) << describe(s, seed);
    if (!installed.ok()) return false;
    RecordBuffer buf(record.size() + (rng.chance(50) ? 0 : rng.between(1, 64)), s.misalign);
    RecordOp op = open_op(state, buf, record);
    const uint32_t num_ok = proc.process(std::span<RecordOp>(&op, 1));
    EXPECT_EQ(num_ok, 1u) << describe(s, seed);
    EXPECT_EQ(op.status, RecordStatus::ok) << status_name(op.status) << " opening " << describe(s, seed);
    if (op.status != RecordStatus::ok) return false;
    EXPECT_EQ(op.seq, s.seq) << describe(s, seed);
    EXPECT_EQ(state.seq, s.seq + 1) << describe(s, seed);
    EXPECT_EQ(op.type, s.type) << describe(s, seed);
    EXPECT_EQ(op.length, s.len) << describe(s, seed);
    EXPECT_TRUE(buf.guard_intact()) << "open wrote past capacity: " << describe(s, seed);
    EXPECT_TRUE(buf.untouched_from(record.size())) << "open wrote past the record: " << describe(s, seed);
    if (op.length == s.len) {
      EXPECT_TRUE(std::equal(content.begin(), content.end(), buf.data() + header_room(suite)))
          << "opened plaintext differs: " << describe(s, seed);
    }
    return !::testing::Test::HasFailure();
  }
};

TEST_P(CrossCheckTest, MatchesOpenSslBothWays) {
  const auto [suite, arch, kernel] = GetParam();
  auto proc = make_processor(arch, kernel);
  ASSERT_TRUE(proc.has_value());
  ASSERT_EQ(proc->arch(), arch);

  const uint64_t seed = test_seed();
  const uint64_t num_records = env_count("TLSBURST_CROSS_CHECK_RECORDS", 10000);
  Rng rng(derive_seed(seed, suite_id(suite) + "/" + std::string(arch_name(arch)) + "/" + kernel_name(kernel)));
  const bool tls12_gcm = !is_tls13(suite) && suite_info(suite).family == CipherFamily::aes_gcm;
  uint64_t num_bytes = 0;

  for (uint64_t i = 0; i < num_records; ++i) {
    Sample s{};
    s.index = i;
    s.seq = random_seq(rng, suite);
    s.type = random_type(rng);
    s.len = random_length(rng, i);
    s.padding_len = random_padding(rng, suite, s.len);
    s.misalign = rng.chance(50) ? 0 : rng.below(64);
    const TestKeys keys = TestKeys::random(suite, rng);
    const Bytes content = rng.bytes(s.len);
    num_bytes += s.len;

    ASSERT_TRUE(seal_and_check(*proc, keys, s, content, seed));
    // A peer's TLS 1.2 GCM explicit nonce is its own choice (RFC 5288 3): half the records use one
    // that is not the sequence number.
    if (tls12_gcm && rng.chance(50)) s.explicit_nonce = rng.next();
    ASSERT_TRUE(open_and_check(*proc, keys, s, content, seed, rng));
  }
  RecordProperty("records", static_cast<int>(num_records));
  RecordProperty("plaintext_bytes", std::to_string(num_bytes));
}

std::string cross_name(const ::testing::TestParamInfo<CrossParam>& info) {
  return suite_id(std::get<0>(info.param)) + "_" + std::string(arch_name(std::get<1>(info.param))) + "_" +
         kernel_name(std::get<2>(info.param));
}

INSTANTIATE_TEST_SUITE_P(AllPaths, CrossCheckTest,
                         ::testing::Combine(::testing::ValuesIn(aead_suites()),
                                            ::testing::Values(ImbArch::sse, ImbArch::avx, ImbArch::avx2,
                                                              ImbArch::avx512),
                                            ::testing::Values(AeadKernel::direct, AeadKernel::burst)),
                         cross_name);

}  // namespace
}  // namespace tlsburst::record::test
