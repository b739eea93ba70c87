// Single-byte tampering: for records of several sizes in every suite, on every ipsec-mb path and
// kernel, each byte of the header, explicit nonce, ciphertext and tag is changed in turn (with
// three different masks) and the record must not open. No plaintext may be released: the region
// the kernel decrypted must not resemble the plaintext (a stream cipher turns a changed ciphertext
// byte into a changed plaintext byte only, so an unwiped region would).
#include <gtest/gtest.h>

#include <tuple>

#include "engine/record/record_processor.hpp"
#include "tests/record/reference_tls.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {
namespace {

using TamperParam = std::tuple<Suite, ImbArch, AeadKernel>;

enum class Field { type, version, length, explicit_nonce, ciphertext, tag };

const char* field_name(Field f) {
  switch (f) {
    case Field::type: return "type";
    case Field::version: return "version";
    case Field::length: return "length";
    case Field::explicit_nonce: return "explicit nonce";
    case Field::ciphertext: return "ciphertext";
    case Field::tag: return "tag";
  }
  return "?";
}

Field field_at(Suite s, size_t pos, size_t record_len) {
  if (pos == 0) return Field::type;
  if (pos < 3) return Field::version;
  if (pos < header_len) return Field::length;
  if (pos < header_len + suite_info(s).record_iv_len) return Field::explicit_nonce;
  if (pos >= record_len - aead_tag_len) return Field::tag;
  return Field::ciphertext;
}

// What a receiver must say for a change in each field; RecordStatus::ok stands for "any failure".
bool acceptable(Suite s, Field f, RecordStatus st) {
  switch (f) {
    case Field::type:
      // TLS 1.3: the outer type must be application_data. TLS 1.2: the type is in the AAD.
      return st == (is_tls13(s) ? RecordStatus::unexpected_message : RecordStatus::bad_record_mac);
    case Field::version:
      return st == RecordStatus::bad_record_mac || st == RecordStatus::decode_error;  // in the AAD
    case Field::length:
      return st == RecordStatus::decode_error || st == RecordStatus::record_overflow;
    case Field::explicit_nonce:
    case Field::ciphertext:
    case Field::tag:
      return st == RecordStatus::bad_record_mac;
  }
  return false;
}

class TamperTest : public ::testing::TestWithParam<TamperParam> {
 protected:
  void SetUp() override {
    const ImbArch arch = std::get<1>(GetParam());
    const std::vector<ImbArch> archs = available_archs();
    if (std::find(archs.begin(), archs.end(), arch) == archs.end()) {
      GTEST_SKIP() << "ipsec-mb path " << arch_name(arch) << " is not available on this CPU";
    }
  }
};

TEST_P(TamperTest, EverySingleByteChangeIsDetected) {
  const auto [suite, arch, kernel] = GetParam();
  auto proc = make_processor(arch, kernel);
  ASSERT_TRUE(proc.has_value());
  const uint64_t seed = test_seed();
  Rng rng(derive_seed(seed, "tamper/" + suite_id(suite) + "/" + std::string(arch_name(arch)) + "/" +
                                kernel_name(kernel)));
  static constexpr uint8_t masks[] = {0x01, 0x80, 0xff};
  size_t num_tampered = 0;

  for (size_t len : {0u, 1u, 15u, 16u, 17u, 64u, 255u}) {
    const TestKeys keys = TestKeys::random(suite, rng);
    const uint64_t seq = rng.below(suite_info(suite).max_records);
    Bytes content = rng.bytes(len);
    for (uint8_t& b : content) b = b == 0 ? 0x5a : b;
    const uint16_t padding_len = is_tls13(suite) && len == 17 ? 4 : 0;

    // The record under attack, sealed by us and checked by the reference.
    DirectionState sealer;
    ASSERT_TRUE(proc->install(sealer, keys.direction_keys(seq)).ok());
    RecordBuffer sbuf(header_room(suite) + len + tail_room(suite, padding_len));
    RecordOp sop = seal_op(sealer, sbuf, content, ContentType::application_data, padding_len);
    ASSERT_EQ(run_one(*proc, sop), RecordStatus::ok);
    const Bytes record(sbuf.data(), sbuf.data() + sop.length);
    ASSERT_TRUE(ref_open(keys, seq, record).has_value());

    Bytes inner = content;
    if (is_tls13(suite)) {
      inner.push_back(23);
      inner.insert(inner.end(), padding_len, 0);
    }
    const size_t payload_start = header_len + suite_info(suite).record_iv_len;

    DirectionState receiver;  // copied fresh for every attempt: same keys, same seq
    ASSERT_TRUE(proc->install(receiver, keys.direction_keys(seq)).ok());
    {  // control: the untouched record opens
      DirectionState fresh = receiver;
      RecordBuffer buf(record.size());
      RecordOp op = open_op(fresh, buf, record);
      ASSERT_EQ(run_one(*proc, op), RecordStatus::ok) << "untouched record, len " << len;
      ASSERT_EQ(op.length, len);
    }
    for (size_t pos = 0; pos < record.size(); ++pos) {
      const Field field = field_at(suite, pos, record.size());
      for (uint8_t mask : masks) {
        Bytes bad = record;
        bad[pos] ^= mask;
        DirectionState fresh = receiver;
        RecordBuffer buf(bad.size());
        RecordOp op = open_op(fresh, buf, bad);
        const RecordStatus st = run_one(*proc, op);
        ++num_tampered;
        const std::string where = "len " + std::to_string(len) + ", byte " + std::to_string(pos) + " (" +
                                  field_name(field) + ") ^ " + std::to_string(mask) +
                                  " (TLSBURST_TEST_SEED=" + std::to_string(seed) + ")";
        ASSERT_NE(st, RecordStatus::ok) << where << ": a changed record opened";
        EXPECT_TRUE(acceptable(suite, field, st)) << where << ": " << status_name(st);
        // Released = looks like the plaintext and is not simply the ciphertext left in place
        // (a 1-byte ciphertext can equal its plaintext by chance).
        const std::span<const uint8_t> region(buf.data() + payload_start, inner.size());
        const bool untouched = std::equal(region.begin(), region.end(), bad.begin() + static_cast<ptrdiff_t>(payload_start));
        EXPECT_FALSE(resembles(region, inner) && !untouched) << where << ": plaintext released";
        EXPECT_TRUE(buf.guard_intact()) << where;
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
  RecordProperty("tampered_records", static_cast<int>(num_tampered));
}

INSTANTIATE_TEST_SUITE_P(AllPaths, TamperTest,
                         ::testing::Combine(::testing::ValuesIn(aead_suites()),
                                            ::testing::Values(ImbArch::sse, ImbArch::avx, ImbArch::avx2,
                                                              ImbArch::avx512),
                                            ::testing::Values(AeadKernel::direct, AeadKernel::burst)),
                         [](const ::testing::TestParamInfo<TamperParam>& info) {
                           return suite_id(std::get<0>(info.param)) + "_" +
                                  std::string(arch_name(std::get<1>(info.param))) + "_" +
                                  kernel_name(std::get<2>(info.param));
                         });

}  // namespace
}  // namespace tlsburst::record::test
