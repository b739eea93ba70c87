// Every failure of seal and open: the status (and so the alert), that failed opens release no
// plaintext (the decrypted region is wiped), and that refused records consume no sequence number
// and emit nothing. Malformed-but-authentic records are crafted with the OpenSSL reference.
#include <gtest/gtest.h>

#include <tuple>

#include "engine/record/record_processor.hpp"
#include "tests/record/reference_tls.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {
namespace {

using ErrorParam = std::tuple<Suite, AeadKernel>;

// Content without zero bytes, so that a wiped (zeroed) region can never look like it.
Bytes nonzero_bytes(Rng& rng, size_t len) {
  Bytes b = rng.bytes(len);
  for (uint8_t& x : b) x = x == 0 ? 1 : x;
  return b;
}

size_t explicit_len_of(Suite s) { return suite_info(s).record_iv_len; }
size_t min_fragment_len(Suite s) { return explicit_len_of(s) + aead_tag_len + (is_tls13(s) ? 1 : 0); }

class RecordErrorTest : public ::testing::TestWithParam<ErrorParam> {
 protected:
  void SetUp() override {
    _suite = std::get<0>(GetParam());
    auto p = make_processor(ImbArch::auto_detect, std::get<1>(GetParam()));
    ASSERT_TRUE(p.has_value());
    _proc.emplace(std::move(*p));
    _rng.emplace(derive_seed(test_seed(), "errors/" + suite_id(_suite) + "/" + kernel_name(std::get<1>(GetParam()))));
    _keys = TestKeys::random(_suite, *_rng);
  }

  DirectionState installed_state(uint64_t seq) {
    DirectionState state;
    EXPECT_TRUE(_proc->install(state, _keys.direction_keys(seq)).ok());
    return state;
  }

  // Opens `record` with a fresh state at `seq`; returns the status and leaves the buffer in `buf`.
  RecordStatus open_record(const Bytes& record, uint64_t seq, RecordBuffer& buf, RecordOp* out = nullptr) {
    DirectionState state = installed_state(seq);
    RecordOp op = open_op(state, buf, record);
    const RecordStatus st = run_one(*_proc, op);
    if (out != nullptr) *out = op;
    return st;
  }

  // After a failed open: neither the decrypted inner plaintext nor the ciphertext is left in the
  // region the kernel decrypts (everything between explicit nonce and tag).
  void expect_wiped(const RecordBuffer& buf, const Bytes& record, const Bytes& inner, const std::string& where) {
    const size_t start = header_len + explicit_len_of(_suite);
    const size_t payload_len = record.size() - start - aead_tag_len;
    const std::span<const uint8_t> region(buf.data() + start, payload_len);
    EXPECT_FALSE(resembles(region, inner)) << where << ": the plaintext was released";
    if (payload_len >= 4) {
      EXPECT_FALSE(resembles(region, {record.data() + start, payload_len})) << where << ": the region was not wiped";
    }
    EXPECT_TRUE(buf.guard_intact()) << where;
  }

  Bytes inner_of(const Bytes& content, ContentType type, size_t padding_len = 0) const {
    Bytes inner = content;
    if (is_tls13(_suite)) {
      inner.push_back(static_cast<uint8_t>(type));
      inner.insert(inner.end(), padding_len, 0);
    }
    return inner;
  }

  Suite _suite{};
  std::optional<RecordProcessor> _proc;
  std::optional<Rng> _rng;
  TestKeys _keys;
};

TEST_P(RecordErrorTest, BadTagIsBadRecordMacAndWipesThePlaintext) {
  for (size_t len : {1u, 15u, 16u, 17u, 100u, 1000u, 16384u}) {
    const Bytes content = nonzero_bytes(*_rng, len);
    const uint64_t seq = _rng->below(1000);
    const Bytes good = ref_seal(_keys, seq, 23, content);
    const Bytes inner = inner_of(content, ContentType::application_data);
    {
      RecordBuffer buf(good.size());
      ASSERT_EQ(open_record(good, seq, buf), RecordStatus::ok) << "control record, len " << len;
    }
    for (size_t tag_byte : {size_t{0}, size_t{7}, size_t{15}}) {
      Bytes bad = good;
      bad[bad.size() - aead_tag_len + tag_byte] ^= 0x01;
      RecordBuffer buf(bad.size());
      const std::string where = "len " + std::to_string(len) + ", tag byte " + std::to_string(tag_byte);
      EXPECT_EQ(open_record(bad, seq, buf), RecordStatus::bad_record_mac) << where;
      expect_wiped(buf, bad, inner, where);
    }
    {  // right record, wrong sequence number (replayed, reordered or dropped record)
      RecordBuffer buf(good.size());
      EXPECT_EQ(open_record(good, seq + 1, buf), RecordStatus::bad_record_mac) << "wrong seq, len " << len;
      expect_wiped(buf, good, inner, "wrong seq, len " + std::to_string(len));
    }
    {  // wrong key
      TestKeys other = TestKeys::random(_suite, *_rng);
      DirectionState state;
      ASSERT_TRUE(_proc->install(state, other.direction_keys(seq)).ok());
      RecordBuffer buf(good.size());
      RecordOp op = open_op(state, buf, good);
      EXPECT_EQ(run_one(*_proc, op), RecordStatus::bad_record_mac) << "wrong key, len " << len;
      expect_wiped(buf, good, inner, "wrong key, len " + std::to_string(len));
    }
  }
}

TEST_P(RecordErrorTest, CiphertextBeyondTheVersionLimitIsRecordOverflow) {
  const size_t limit = is_tls13(_suite) ? tls13_max_ciphertext_len : tls12_max_ciphertext_len;
  EXPECT_EQ(limit, is_tls13(_suite) ? (1u << 14) + 256 : (1u << 14) + 2048);
  const uint8_t outer_type = 23;
  for (size_t fragment_len : {limit + 1, limit + 2, size_t{65535}}) {
    Bytes record(header_len + fragment_len);
    _rng->fill(record);
    record[0] = outer_type;
    record[1] = 3;
    record[2] = 3;
    record[3] = static_cast<uint8_t>(fragment_len >> 8);
    record[4] = static_cast<uint8_t>(fragment_len);
    RecordBuffer buf(record.size());
    EXPECT_EQ(open_record(record, 5, buf), RecordStatus::record_overflow) << "fragment " << fragment_len;
  }
  // At the limit itself the size is fine and only the (random) tag fails.
  Bytes record(header_len + limit);
  _rng->fill(record);
  record[0] = outer_type;
  record[1] = 3;
  record[2] = 3;
  record[3] = static_cast<uint8_t>(limit >> 8);
  record[4] = static_cast<uint8_t>(limit);
  RecordBuffer buf(record.size());
  EXPECT_EQ(open_record(record, 5, buf), RecordStatus::bad_record_mac) << "fragment exactly at the limit";
}

TEST_P(RecordErrorTest, DecryptedPlaintextBeyondTwoToTheFourteenIsRecordOverflow) {
  const uint64_t seq = 77;
  {  // control: exactly 2^14 bytes of content open
    const Bytes content = nonzero_bytes(*_rng, max_plaintext_len);
    const Bytes record = ref_seal(_keys, seq, 23, content);
    RecordBuffer buf(record.size());
    RecordOp op;
    ASSERT_EQ(open_record(record, seq, buf, &op), RecordStatus::ok);
    EXPECT_EQ(op.length, max_plaintext_len);
  }
  const Bytes content = nonzero_bytes(*_rng, max_plaintext_len + 1);
  Bytes inner = content;
  Bytes record;
  if (is_tls13(_suite)) {
    inner.push_back(23);
    record = ref_seal_tls13_raw(_keys, seq, 23, inner);
  } else {
    record = ref_seal_tls12_raw(_keys, seq, 23, content, seq);
  }
  RecordBuffer buf(record.size());
  EXPECT_EQ(open_record(record, seq, buf), RecordStatus::record_overflow) << "content of 2^14 + 1 bytes";
  expect_wiped(buf, record, inner, "content of 2^14 + 1 bytes");

  if (is_tls13(_suite)) {
    // RFC 8446 5.4: the whole TLSInnerPlaintext (content, type, padding) is at most 2^14 + 1 bytes.
    Bytes padded = nonzero_bytes(*_rng, max_plaintext_len);
    padded.push_back(22);
    padded.push_back(0);
    const Bytes padded_record = ref_seal_tls13_raw(_keys, seq, 23, padded);
    RecordBuffer pbuf(padded_record.size());
    EXPECT_EQ(open_record(padded_record, seq, pbuf), RecordStatus::record_overflow)
        << "TLSInnerPlaintext of 2^14 + 2 bytes (2^14 content, type, one byte of padding)";
    expect_wiped(pbuf, padded_record, padded, "inner plaintext of 2^14 + 2 bytes");
  }
}

TEST_P(RecordErrorTest, TooShortToAuthenticateIsBadRecordMac) {
  const size_t minimum = min_fragment_len(_suite);
  for (size_t fragment_len = 0; fragment_len < minimum; ++fragment_len) {
    Bytes record(header_len + fragment_len);
    _rng->fill(record);
    record[0] = 23;
    record[1] = 3;
    record[2] = 3;
    record[3] = 0;
    record[4] = static_cast<uint8_t>(fragment_len);
    RecordBuffer buf(record.size());
    EXPECT_EQ(open_record(record, 3, buf), RecordStatus::bad_record_mac) << "fragment of " << fragment_len << " bytes";
  }
  if (is_tls13(_suite)) {
    // An authentic record whose inner plaintext is empty (no content type at all): its tag
    // verifies, but a fragment of only a tag is still too short (RFC 8446 5.2: at least type + tag).
    const Bytes tag_only = ref_seal_tls13_raw(_keys, 3, 23, {});
    ASSERT_EQ(tag_only.size(), header_len + aead_tag_len);
    RecordBuffer buf(tag_only.size());
    EXPECT_EQ(open_record(tag_only, 3, buf), RecordStatus::bad_record_mac) << "authentic tag-only fragment";
  }
  // Control: the shortest well-formed record (empty content) opens.
  const Bytes shortest = ref_seal(_keys, 3, 23, {});
  ASSERT_EQ(shortest.size(), header_len + minimum);
  RecordBuffer buf(shortest.size());
  RecordOp op;
  EXPECT_EQ(open_record(shortest, 3, buf, &op), RecordStatus::ok);
  EXPECT_EQ(op.length, 0u);
}

TEST_P(RecordErrorTest, LengthFieldDisagreeingWithTheBufferIsDecodeError) {
  const uint64_t seq = 11;
  const Bytes content = nonzero_bytes(*_rng, 200);
  const Bytes good = ref_seal(_keys, seq, 23, content);
  const size_t fragment_len = good.size() - header_len;
  for (size_t claimed : {fragment_len - 1, fragment_len + 1, fragment_len - 16, fragment_len + 16, size_t{0},
                         size_t{0xffff}, fragment_len ^ 0x100}) {
    Bytes bad = good;
    bad[3] = static_cast<uint8_t>(claimed >> 8);
    bad[4] = static_cast<uint8_t>(claimed);
    RecordBuffer buf(bad.size() + 256);
    EXPECT_EQ(open_record(bad, seq, buf), RecordStatus::decode_error) << "length field " << claimed;
    EXPECT_FALSE(resembles({buf.data() + header_room(_suite), content.size()}, content));
  }
  {  // the buffer holds less than the header announces (truncated record)
    const Bytes truncated(good.begin(), good.end() - 1);
    RecordBuffer buf(good.size());
    EXPECT_EQ(open_record(truncated, seq, buf), RecordStatus::decode_error) << "truncated record";
  }
  {  // the buffer holds more than one record
    Bytes longer = good;
    longer.insert(longer.end(), {0x17, 0x03, 0x03});
    RecordBuffer buf(longer.size());
    EXPECT_EQ(open_record(longer, seq, buf), RecordStatus::decode_error) << "trailing bytes";
  }
  for (size_t len = 0; len < header_len; ++len) {  // not even a header
    const Bytes stub(good.begin(), good.begin() + static_cast<ptrdiff_t>(len));
    RecordBuffer buf(header_len);
    EXPECT_EQ(open_record(stub, seq, buf), RecordStatus::decode_error) << len << "-byte buffer";
  }
}

// The TLS 1.3-only checks, instantiated for the TLS 1.3 suites alone.
class Tls13RecordErrorTest : public RecordErrorTest {};

TEST_P(Tls13RecordErrorTest, InnerPlaintextOfOnlyZerosIsUnexpectedMessage) {
  const uint64_t seq = 1234;
  for (size_t len : {1u, 2u, 16u, 500u, 16385u}) {
    const Bytes zeros(len, 0);
    const Bytes record = ref_seal_tls13_raw(_keys, seq, 23, zeros);
    RecordBuffer buf(record.size());
    EXPECT_EQ(open_record(record, seq, buf), RecordStatus::unexpected_message) << len << " zero bytes";
  }
  // Control: an inner plaintext that is only a content type is an empty record of that type.
  const Bytes only_type = {23, 0, 0, 0};
  const Bytes record = ref_seal_tls13_raw(_keys, seq, 23, only_type);
  RecordBuffer buf(record.size());
  RecordOp op;
  ASSERT_EQ(open_record(record, seq, buf, &op), RecordStatus::ok);
  EXPECT_EQ(op.length, 0u);
  EXPECT_EQ(op.type, ContentType::application_data);
}

TEST_P(Tls13RecordErrorTest, OuterTypeOtherThanApplicationDataIsUnexpectedMessage) {
  const uint64_t seq = 9;
  const Bytes content = nonzero_bytes(*_rng, 40);
  Bytes inner = content;
  inner.push_back(22);
  for (int outer : {0, 20, 21, 22, 24, 255}) {
    // The tag verifies (the AAD is the header as sent): only the outer type is wrong.
    const Bytes record = ref_seal_tls13_raw(_keys, seq, static_cast<uint8_t>(outer), inner);
    RecordBuffer buf(record.size());
    EXPECT_EQ(open_record(record, seq, buf), RecordStatus::unexpected_message) << "outer type " << outer;
    EXPECT_FALSE(resembles({buf.data() + header_len, inner.size()}, inner)) << "outer type " << outer;
  }
}

// A refused seal must leave everything as it was: buffer, length, and the direction's sequence
// number (a consumed number would desynchronise the peer).
void expect_refused_seal(RecordProcessor& _proc, DirectionState& state, RecordBuffer& buf, RecordOp op,
                         RecordStatus expected, const std::string& where) {
  const Bytes before(buf.data(), buf.data() + buf.capacity());
  const uint64_t seq_before = state.seq;
  const uint32_t length_before = op.length;
  EXPECT_EQ(run_one(_proc, op), expected) << where << ": got " << status_name(op.status);
  EXPECT_EQ(state.seq, seq_before) << where << ": a refused seal consumed a sequence number";
  EXPECT_EQ(op.length, length_before) << where;
  EXPECT_TRUE(std::equal(before.begin(), before.end(), buf.data())) << where << ": a refused seal wrote to the buffer";
  EXPECT_TRUE(buf.guard_intact()) << where;
}

TEST_P(RecordErrorTest, SealingMoreThanTwoToTheFourteenIsRecordOverflow) {
  DirectionState state = installed_state(50);
  {
    const Bytes content = nonzero_bytes(*_rng, max_plaintext_len + 1);
    RecordBuffer buf(header_room(_suite) + content.size() + tail_room(_suite) + 64);
    expect_refused_seal(*_proc, state, buf, seal_op(state, buf, content, ContentType::application_data),
                        RecordStatus::record_overflow, "2^14 + 1 bytes");
  }
  if (is_tls13(_suite)) {
    // RFC 8446 5.4: content + type + padding at most 2^14 + 1 bytes.
    for (uint16_t padding : {uint16_t{1}, uint16_t{239}, uint16_t{240}, uint16_t{0xffff}}) {
      const Bytes content = nonzero_bytes(*_rng, max_plaintext_len);
      RecordBuffer buf(header_room(_suite) + content.size() + tail_room(_suite, padding));
      expect_refused_seal(*_proc, state, buf, seal_op(state, buf, content, ContentType::application_data, padding),
                          RecordStatus::record_overflow, "2^14 bytes + padding " + std::to_string(padding));
    }
    const Bytes empty;
    RecordBuffer buf(header_room(_suite) + tail_room(_suite, 0xffff));
    expect_refused_seal(*_proc, state, buf, seal_op(state, buf, empty, ContentType::application_data, 0xffff),
                        RecordStatus::record_overflow, "empty content + padding 65535");
  }
  // Control: exactly 2^14 bytes seal, at the sequence number the refusals left untouched.
  const Bytes content = nonzero_bytes(*_rng, max_plaintext_len);
  RecordBuffer buf(header_room(_suite) + content.size() + tail_room(_suite));
  RecordOp op = seal_op(state, buf, content, ContentType::application_data);
  ASSERT_EQ(run_one(*_proc, op), RecordStatus::ok);
  EXPECT_EQ(op.seq, 50u);
  auto opened = ref_open(_keys, 50, {buf.data(), op.length});
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(opened->content == content);
}

TEST_P(RecordErrorTest, CapacityTooSmallIsBufferTooSmall) {
  DirectionState state = installed_state(8);
  for (size_t len : {0u, 1u, 100u, 16384u}) {
    for (uint16_t padding : {uint16_t{0}, uint16_t{5}}) {
      if (!is_tls13(_suite) && padding != 0) continue;
      if (len + padding > max_plaintext_len) continue;  // that is record_overflow, tested above
      const Bytes content = nonzero_bytes(*_rng, len);
      const size_t needed = header_room(_suite) + len + tail_room(_suite, padding);
      for (size_t shortfall : {size_t{1}, size_t{2}, size_t{16}}) {
        RecordBuffer buf(needed - shortfall);
        const std::string where = "len " + std::to_string(len) + " padding " + std::to_string(padding) +
                                  " capacity " + std::to_string(needed - shortfall) + " of " + std::to_string(needed);
        expect_refused_seal(*_proc, state, buf, seal_op(state, buf, content, ContentType::application_data, padding),
                            RecordStatus::buffer_too_small, where);
      }
      RecordBuffer buf(needed);  // control: exactly enough
      RecordOp op = seal_op(state, buf, content, ContentType::application_data, padding);
      const uint64_t seq = state.seq;
      ASSERT_EQ(run_one(*_proc, op), RecordStatus::ok) << "len " << len << " with exact capacity";
      EXPECT_EQ(op.seq, seq);
      EXPECT_TRUE(buf.guard_intact());
    }
  }
  RecordBuffer tiny(header_room(_suite) - 1);
  RecordOp op = seal_op(state, tiny, {}, ContentType::application_data);
  expect_refused_seal(*_proc, state, tiny, op, RecordStatus::buffer_too_small, "smaller than the header");
}

TEST_P(RecordErrorTest, SealingContentTypeZeroIsRefused) {
  // Type 0 is `invalid`: a TLS 1.3 receiver would take it for padding, a TLS 1.2 one would reject
  // it. It must never reach the wire, and must not cost a sequence number.
  DirectionState state = installed_state(4);
  const Bytes content = nonzero_bytes(*_rng, 10);
  RecordBuffer buf(header_room(_suite) + content.size() + tail_room(_suite));
  RecordOp op = seal_op(state, buf, content, ContentType::invalid);
  EXPECT_NE(run_one(*_proc, op), RecordStatus::ok);
  EXPECT_EQ(state.seq, 4u);
}

std::string error_param_name(const ::testing::TestParamInfo<ErrorParam>& info) {
  return suite_id(std::get<0>(info.param)) + "_" + kernel_name(std::get<1>(info.param));
}

std::vector<Suite> tls13_suites() {
  std::vector<Suite> out;
  for (Suite s : aead_suites()) {
    if (is_tls13(s)) out.push_back(s);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(AeadSuites, RecordErrorTest,
                         ::testing::Combine(::testing::ValuesIn(aead_suites()),
                                            ::testing::Values(AeadKernel::direct, AeadKernel::burst)),
                         error_param_name);
INSTANTIATE_TEST_SUITE_P(Tls13Suites, Tls13RecordErrorTest,
                         ::testing::Combine(::testing::ValuesIn(tls13_suites()),
                                            ::testing::Values(AeadKernel::direct, AeadKernel::burst)),
                         error_param_name);

// ---- states that cannot be used ---------------------------------------------------------------

class RecordStateErrorTest : public ::testing::TestWithParam<Suite> {};

// Seal and open with `state` on `proc`: both must be invalid_state and change nothing.
void expect_invalid_state(RecordProcessor& proc, DirectionState* state, const TestKeys& keys,
                          const std::string& where) {
  Rng rng(derive_seed(test_seed(), where));
  const Bytes content = nonzero_bytes(rng, 64);
  const uint64_t seq_before = state != nullptr ? state->seq : 0;
  {
    RecordBuffer buf(header_room(keys.suite) + content.size() + tail_room(keys.suite));
    DirectionState placeholder;
    RecordOp op = seal_op(state != nullptr ? *state : placeholder, buf, content, ContentType::application_data);
    op.state = state;
    const Bytes before(buf.data(), buf.data() + buf.capacity());
    EXPECT_EQ(run_one(proc, op), RecordStatus::invalid_state) << where << " (seal)";
    EXPECT_TRUE(std::equal(before.begin(), before.end(), buf.data())) << where << ": seal wrote to the buffer";
  }
  {
    const Bytes record = ref_seal(keys, seq_before, 23, content);
    RecordBuffer buf(record.size());
    DirectionState placeholder;
    RecordOp op = open_op(state != nullptr ? *state : placeholder, buf, record);
    op.state = state;
    EXPECT_EQ(run_one(proc, op), RecordStatus::invalid_state) << where << " (open)";
    EXPECT_TRUE(std::equal(record.begin(), record.end(), buf.data())) << where << ": open changed the record";
  }
  if (state != nullptr) {
    EXPECT_EQ(state->seq, seq_before) << where;
  }
}

TEST_P(RecordStateErrorTest, UninstalledWipedOrMissingStateIsInvalidState) {
  const Suite suite = GetParam();
  Rng rng(derive_seed(test_seed(), "state/" + suite_id(suite)));
  const TestKeys keys = TestKeys::random(suite, rng);
  auto proc = make_processor(ImbArch::auto_detect);
  ASSERT_TRUE(proc.has_value());

  DirectionState never_installed;
  never_installed.suite = suite;
  expect_invalid_state(*proc, &never_installed, keys, "never installed");

  DirectionState wiped;
  ASSERT_TRUE(proc->install(wiped, keys.direction_keys(3)).ok());
  wipe(wiped);
  EXPECT_FALSE(wiped.installed);
  expect_invalid_state(*proc, &wiped, keys, "wiped");

  expect_invalid_state(*proc, nullptr, keys, "null state");

  DirectionState bad_sizes;
  const Bytes short_key(suite_info(suite).key_len - 1, 1);
  EXPECT_FALSE(proc->install(bad_sizes, DirectionKeys::make(suite, short_key, keys.iv)).ok()) << "short key";
  EXPECT_FALSE(bad_sizes.installed);
  expect_invalid_state(*proc, &bad_sizes, keys, "install with a short key");
  const Bytes long_iv(suite_info(suite).fixed_iv_len + 1, 1);
  EXPECT_FALSE(proc->install(bad_sizes, DirectionKeys::make(suite, keys.key, long_iv)).ok()) << "long IV";
  expect_invalid_state(*proc, &bad_sizes, keys, "install with a long IV");
}

TEST_P(RecordStateErrorTest, StateExpandedForAnotherPathIsInvalidState) {
  const Suite suite = GetParam();
  const std::vector<ImbArch> archs = available_archs();
  if (archs.size() < 2) GTEST_SKIP() << "needs two ipsec-mb paths";
  Rng rng(derive_seed(test_seed(), "arch/" + suite_id(suite)));
  const TestKeys keys = TestKeys::random(suite, rng);
  for (ImbArch installed_on : archs) {
    auto installer = make_processor(installed_on);
    ASSERT_TRUE(installer.has_value());
    DirectionState state;
    ASSERT_TRUE(installer->install(state, keys.direction_keys(21)).ok());
    EXPECT_EQ(state.arch, installed_on);
    for (ImbArch used_on : archs) {
      if (used_on == installed_on) continue;
      auto user = make_processor(used_on);
      ASSERT_TRUE(user.has_value());
      expect_invalid_state(*user, &state, keys,
                           std::string("installed on ") + std::string(arch_name(installed_on)) + ", used on " +
                               std::string(arch_name(used_on)));
    }
    // Control: on its own path the same state works.
    const Bytes content = nonzero_bytes(rng, 10);
    RecordBuffer buf(header_room(suite) + content.size() + tail_room(suite));
    RecordOp op = seal_op(state, buf, content, ContentType::application_data);
    EXPECT_EQ(run_one(*installer, op), RecordStatus::ok) << arch_name(installed_on);
  }
}

INSTANTIATE_TEST_SUITE_P(AeadSuites, RecordStateErrorTest, ::testing::ValuesIn(aead_suites()),
                         [](const ::testing::TestParamInfo<Suite>& info) { return suite_id(info.param); });

// ---- usage limits -----------------------------------------------------------------------------

class UsageLimitTest : public ::testing::TestWithParam<Suite> {};

TEST(UsageLimitTableTest, LimitsAreTheRfcOnes) {
  // RFC 8446 5.5: 2^24.5 full-size records per AES-GCM key; otherwise the 64-bit sequence number
  // may not wrap.
  EXPECT_EQ(suite_info(Suite::tls13_aes_128_gcm_sha256).max_records, 23726566u);
  EXPECT_EQ(suite_info(Suite::tls13_aes_256_gcm_sha384).max_records, 23726566u);
  EXPECT_EQ(suite_info(Suite::tls13_chacha20_poly1305_sha256).max_records, ~uint64_t{0});
  EXPECT_EQ(suite_info(Suite::tls12_aes_128_gcm).max_records, ~uint64_t{0});
  EXPECT_EQ(suite_info(Suite::tls12_aes_256_gcm).max_records, ~uint64_t{0});
  EXPECT_EQ(suite_info(Suite::tls12_chacha20_poly1305).max_records, ~uint64_t{0});
}

TEST_P(UsageLimitTest, SealsUpToTheLimitThenKeyExhausted) {
  const Suite suite = GetParam();
  const uint64_t limit = suite_info(suite).max_records;
  Rng rng(derive_seed(test_seed(), "limit-seal/" + suite_id(suite)));
  const TestKeys keys = TestKeys::random(suite, rng);
  auto proc = make_processor(ImbArch::auto_detect);
  ASSERT_TRUE(proc.has_value());
  DirectionState state;
  ASSERT_TRUE(proc->install(state, keys.direction_keys(limit - 3)).ok());
  EXPECT_EQ(state.remaining(), 3u);

  // One burst: three records fit, the fourth and fifth do not.
  std::vector<Bytes> contents;
  std::vector<RecordBuffer> bufs;
  std::vector<RecordOp> ops(5);
  for (size_t i = 0; i < ops.size(); ++i) {
    contents.push_back(nonzero_bytes(rng, 30 + i));
    bufs.emplace_back(header_room(suite) + contents[i].size() + tail_room(suite));
  }
  std::vector<Bytes> before;
  for (size_t i = 0; i < ops.size(); ++i) {
    ops[i] = seal_op(state, bufs[i], contents[i], ContentType::application_data);
    before.emplace_back(bufs[i].data(), bufs[i].data() + bufs[i].capacity());
  }
  EXPECT_EQ(proc->process(ops), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(ops[i].status, RecordStatus::ok) << i;
    EXPECT_EQ(ops[i].seq, limit - 3 + i);
    auto opened = ref_open(keys, limit - 3 + i, {bufs[i].data(), ops[i].length});
    ASSERT_TRUE(opened.has_value()) << i;
    EXPECT_TRUE(opened->content == contents[i]);
  }
  for (size_t i = 3; i < ops.size(); ++i) {
    EXPECT_EQ(ops[i].status, RecordStatus::key_exhausted) << i;
    EXPECT_EQ(ops[i].length, contents[i].size()) << i;
    EXPECT_TRUE(std::equal(before[i].begin(), before[i].end(), bufs[i].data())) << i << ": emitted bytes";
  }
  EXPECT_EQ(state.seq, limit);
  EXPECT_EQ(state.remaining(), 0u);

  // And later, alone: still exhausted, still nothing consumed.
  RecordBuffer buf(header_room(suite) + 10 + tail_room(suite));
  const Bytes content = nonzero_bytes(rng, 10);
  RecordOp op = seal_op(state, buf, content, ContentType::application_data);
  const Bytes untouched(buf.data(), buf.data() + buf.capacity());
  EXPECT_EQ(run_one(*proc, op), RecordStatus::key_exhausted);
  EXPECT_TRUE(std::equal(untouched.begin(), untouched.end(), buf.data()));
  EXPECT_EQ(state.seq, limit);
}

TEST_P(UsageLimitTest, OpensUpToTheLimitThenKeyExhausted) {
  const Suite suite = GetParam();
  const uint64_t limit = suite_info(suite).max_records;
  Rng rng(derive_seed(test_seed(), "limit-open/" + suite_id(suite)));
  const TestKeys keys = TestKeys::random(suite, rng);
  auto proc = make_processor(ImbArch::auto_detect);
  ASSERT_TRUE(proc.has_value());
  DirectionState state;
  ASSERT_TRUE(proc->install(state, keys.direction_keys(limit - 2)).ok());

  std::vector<Bytes> contents, records;
  std::vector<RecordBuffer> bufs;
  std::vector<RecordOp> ops(3);
  for (size_t i = 0; i < ops.size(); ++i) {
    contents.push_back(nonzero_bytes(rng, 20 + i));
    records.push_back(ref_seal(keys, limit - 2 + i, 23, contents[i]));  // the last one at seq == limit
    bufs.emplace_back(records[i].size());
  }
  for (size_t i = 0; i < ops.size(); ++i) ops[i] = open_op(state, bufs[i], records[i]);
  EXPECT_EQ(proc->process(ops), 2u);
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_EQ(ops[i].status, RecordStatus::ok) << i;
    EXPECT_EQ(ops[i].seq, limit - 2 + i);
    EXPECT_TRUE(std::equal(contents[i].begin(), contents[i].end(), bufs[i].data() + header_room(suite)));
  }
  EXPECT_EQ(ops[2].status, RecordStatus::key_exhausted);
  EXPECT_EQ(ops[2].length, records[2].size());
  EXPECT_TRUE(std::equal(records[2].begin(), records[2].end(), bufs[2].data())) << "the refused record was touched";
  EXPECT_EQ(state.seq, limit);
}

INSTANTIATE_TEST_SUITE_P(AeadSuites, UsageLimitTest, ::testing::ValuesIn(aead_suites()),
                         [](const ::testing::TestParamInfo<Suite>& info) { return suite_id(info.param); });

}  // namespace
}  // namespace tlsburst::record::test
