// Scatter-gather records (RecordOp::num_segments != 0): every AEAD suite on every ipsec-mb path,
// records of many sizes cut into segments at random places -- including one-byte segments and a
// tag split over several -- sealed where they lie and compared byte for byte with the OpenSSL
// reference's record, and reference records opened where they lie. Each segment is its own heap
// block of exactly its length, so AddressSanitizer sees any access past one. Also: tampering,
// layouts the rules refuse (nothing changes, no sequence number is used), sequence order in a
// burst mixing segmented and single-buffer records, and CBC suites refusing segments.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <tuple>

#include "engine/record/record_processor.hpp"
#include "tests/record/reference_tls.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {
namespace {

using SgParam = std::tuple<Suite, ImbArch>;

// A record's bytes in separately allocated segments.
struct Chain {
  std::vector<std::unique_ptr<uint8_t[]>> blocks;
  std::vector<RecordSegment> segments;

  // Segments of the given lengths, filled from `bytes` (which must be as long as their sum).
  static Chain from(std::span<const uint8_t> bytes, const std::vector<uint32_t>& lens) {
    Chain c;
    size_t at = 0;
    for (uint32_t len : lens) {
      c.blocks.emplace_back(new uint8_t[len == 0 ? 1 : len]);
      std::copy(bytes.begin() + at, bytes.begin() + at + len, c.blocks.back().get());
      c.segments.push_back(RecordSegment{c.blocks.back().get(), len});
      at += len;
    }
    return c;
  }
  Bytes bytes() const {
    Bytes out;
    for (const RecordSegment& s : segments) out.insert(out.end(), s.data, s.data + s.len);
    return out;
  }
};

// Random cut of `total` bytes into segments, the first at least `first_min`, the last at least
// `last_min` long; sometimes many tiny segments.
std::vector<uint32_t> random_cut(Rng& rng, uint32_t total, uint32_t first_min, uint32_t last_min) {
  std::vector<uint32_t> lens;
  if (total < first_min + last_min || rng.chance(10)) return {total};
  uint32_t left = total - first_min - last_min;
  const uint32_t max_piece = rng.chance(30) ? 3 : 1 + static_cast<uint32_t>(rng.below(total));
  uint32_t first = first_min + static_cast<uint32_t>(rng.below(std::min(left, max_piece) + 1));
  lens.push_back(first);
  left -= first - first_min;
  while (left > 0 && lens.size() < 200) {
    const uint32_t piece = 1 + static_cast<uint32_t>(rng.below(std::min(left, max_piece)));
    lens.push_back(piece);
    left -= piece;
  }
  lens.push_back(last_min + left);
  return lens;
}

RecordOp sg_op(DirectionState& state, Chain& chain, RecordOpKind kind, uint32_t length, ContentType type,
               uint16_t padding_len = 0) {
  RecordOp op;
  op.state = &state;
  op.segments = chain.segments.data();
  op.num_segments = static_cast<uint8_t>(chain.segments.size());
  op.kind = kind;
  op.length = length;
  op.type = type;
  op.padding_len = padding_len;
  return op;
}

class ScatterGatherTest : public ::testing::TestWithParam<SgParam> {
 protected:
  void SetUp() override {
    std::tie(suite, arch) = GetParam();
    proc = make_processor(arch);
    ASSERT_TRUE(proc.has_value());
    rng = std::make_unique<Rng>(derive_seed(test_seed(), suite_id(suite) + std::string(arch_name(arch))));
    keys = TestKeys::random(suite, *rng);
  }
  // A state whose next sequence number is `seq`.
  std::unique_ptr<DirectionState> state_at(uint64_t seq) {
    auto s = std::make_unique<DirectionState>();
    EXPECT_TRUE(proc->install(*s, keys.direction_keys(seq)).ok());
    return s;
  }
  std::vector<uint32_t> sizes() const {
    return {0, 1, 15, 16, 17, 63, 64, 255, 1000, 1024, 2048, 4097, 16384};
  }

  Suite suite{};
  ImbArch arch{};
  std::optional<RecordProcessor> proc;
  std::unique_ptr<Rng> rng;
  TestKeys keys{};
};

TEST_P(ScatterGatherTest, SealedInPlaceEqualsTheReferenceRecord) {
  const uint32_t hr = static_cast<uint32_t>(header_room(suite));
  for (uint32_t size : sizes()) {
    for (int rep = 0; rep < 6; ++rep) {
      const uint16_t pad = is_tls13(suite) && rep % 3 == 2
                               ? static_cast<uint16_t>(rng->below(std::min<size_t>(40, max_plaintext_len - size + 1)))
                               : 0;
      const uint32_t tail = static_cast<uint32_t>(tail_room(suite, pad));
      const Bytes content = rng->bytes(size);
      const ContentType type = rep % 2 ? ContentType::handshake : ContentType::application_data;
      Bytes layout(hr + size + tail, 0x77);
      std::copy(content.begin(), content.end(), layout.begin() + hr);
      Chain chain = Chain::from(layout, random_cut(*rng, static_cast<uint32_t>(layout.size()), hr, tail));
      const uint64_t seq = 1000 + static_cast<uint64_t>(rep);
      auto state = state_at(seq);
      RecordOp op = sg_op(*state, chain, RecordOpKind::seal, size, type, pad);
      ASSERT_EQ(run_one(*proc, op), RecordStatus::ok) << "size " << size;
      EXPECT_EQ(op.seq, seq);
      EXPECT_EQ(op.length, layout.size());
      const Bytes expected = ref_seal(keys, seq, static_cast<uint8_t>(type), content, pad);
      ASSERT_EQ(chain.bytes(), expected) << "size " << size << " in " << chain.segments.size() << " segments";
    }
  }
}

TEST_P(ScatterGatherTest, ReferenceRecordsOpenWhereTheyLie) {
  const uint32_t hr = static_cast<uint32_t>(header_room(suite));
  for (uint32_t size : sizes()) {
    for (int rep = 0; rep < 6; ++rep) {
      // RFC 8446 5.4: content, type and padding at most 2^14 + 1 bytes.
      const size_t pad = is_tls13(suite) && rep % 2 ? rng->below(std::min<size_t>(300, max_plaintext_len - size + 1)) : 0;
      const Bytes content = rng->bytes(size);
      const uint64_t seq = 77 + static_cast<uint64_t>(rep);
      const Bytes record = ref_seal(keys, seq, static_cast<uint8_t>(ContentType::alert), content, pad);
      Chain chain = Chain::from(record, random_cut(*rng, static_cast<uint32_t>(record.size()), hr, 0));
      auto state = state_at(seq);
      RecordOp op = sg_op(*state, chain, RecordOpKind::open, static_cast<uint32_t>(record.size()),
                          ContentType::application_data);
      ASSERT_EQ(run_one(*proc, op), RecordStatus::ok) << "size " << size << " pad " << pad;
      EXPECT_EQ(op.type, ContentType::alert);
      ASSERT_EQ(op.length, size);
      const Bytes all = chain.bytes();
      EXPECT_EQ(Bytes(all.begin() + hr, all.begin() + hr + size), content);
    }
  }
}

TEST_P(ScatterGatherTest, TamperedRecordsFailAndReleaseNoPlaintext) {
  const uint32_t hr = static_cast<uint32_t>(header_room(suite));
  for (int rep = 0; rep < 40; ++rep) {
    const Bytes content = rng->bytes(100 + rng->below(3000));
    const Bytes record = ref_seal(keys, 5, static_cast<uint8_t>(ContentType::application_data), content);
    Bytes bad = record;
    // Past the header: the explicit nonce, ciphertext or tag (header changes are in error tests).
    const size_t pos = header_len + rng->below(record.size() - header_len);
    bad[pos] ^= static_cast<uint8_t>(1 + rng->below(255));
    Chain chain = Chain::from(bad, random_cut(*rng, static_cast<uint32_t>(bad.size()), hr, 0));
    auto state = state_at(5);
    RecordOp op = sg_op(*state, chain, RecordOpKind::open, static_cast<uint32_t>(bad.size()),
                        ContentType::application_data);
    EXPECT_EQ(run_one(*proc, op), RecordStatus::bad_record_mac) << "byte " << pos;
    const Bytes all = chain.bytes();
    EXPECT_FALSE(resembles(std::span(all).subspan(hr, content.size()), content)) << "plaintext released";
  }
}

TEST_P(ScatterGatherTest, LayoutsOutsideTheRulesChangeNothing) {
  const uint32_t hr = static_cast<uint32_t>(header_room(suite));
  const uint32_t tail = static_cast<uint32_t>(tail_room(suite));
  const Bytes content = rng->bytes(500);
  Bytes layout(hr + content.size() + tail, 0);
  std::copy(content.begin(), content.end(), layout.begin() + hr);
  const std::vector<std::vector<uint32_t>> bad_seals = {
      {hr - 1, static_cast<uint32_t>(layout.size()) - (hr - 1)},         // header room split
      {hr + 200, static_cast<uint32_t>(layout.size()) - hr - 200 - (tail - 1), tail - 1},  // tail split
      {hr + 100, static_cast<uint32_t>(layout.size()) - hr - 100 - 1},   // one byte short
  };
  for (size_t k = 0; k < bad_seals.size(); ++k) {
    Chain chain = Chain::from(layout, bad_seals[k]);
    const Bytes before = chain.bytes();
    auto state = state_at(9);
    RecordOp op = sg_op(*state, chain, RecordOpKind::seal, static_cast<uint32_t>(content.size()),
                        ContentType::application_data);
    EXPECT_EQ(run_one(*proc, op), RecordStatus::buffer_too_small) << "layout " << k;
    EXPECT_EQ(state->seq, 9u) << "a refused record must not use a sequence number";
    EXPECT_EQ(chain.bytes(), before);
  }
  const Bytes record = ref_seal(keys, 9, static_cast<uint8_t>(ContentType::application_data), content);
  Chain short_first = Chain::from(record, {hr - 1, static_cast<uint32_t>(record.size()) - (hr - 1)});
  auto state = state_at(9);
  RecordOp op = sg_op(*state, short_first, RecordOpKind::open, static_cast<uint32_t>(record.size()),
                      ContentType::application_data);
  EXPECT_EQ(run_one(*proc, op), RecordStatus::buffer_too_small);
  EXPECT_EQ(state->seq, 9u);
  Chain whole = Chain::from(record, {100, static_cast<uint32_t>(record.size()) - 100});
  RecordOp wrong_len = sg_op(*state, whole, RecordOpKind::open, static_cast<uint32_t>(record.size()) - 1,
                             ContentType::application_data);
  EXPECT_EQ(run_one(*proc, wrong_len), RecordStatus::decode_error);
  EXPECT_EQ(state->seq, 9u);
}

// Segmented and single-buffer records of one direction in one burst take consecutive sequence
// numbers in span order.
TEST_P(ScatterGatherTest, MixedBurstKeepsSequenceOrder) {
  const uint32_t hr = static_cast<uint32_t>(header_room(suite));
  const uint32_t tail = static_cast<uint32_t>(tail_room(suite));
  constexpr size_t n = 24;
  auto state = state_at(0);
  std::vector<Bytes> contents;
  std::vector<Chain> chains(n);
  std::vector<std::unique_ptr<RecordBuffer>> bufs(n);
  std::vector<RecordOp> ops(n);
  for (size_t i = 0; i < n; ++i) {
    contents.push_back(rng->bytes(rng->below(2000)));
    if (i % 3 == 1) {
      Bytes layout(hr + contents[i].size() + tail, 0);
      std::copy(contents[i].begin(), contents[i].end(), layout.begin() + hr);
      chains[i] = Chain::from(layout, random_cut(*rng, static_cast<uint32_t>(layout.size()), hr, tail));
      ops[i] = sg_op(*state, chains[i], RecordOpKind::seal, static_cast<uint32_t>(contents[i].size()),
                     ContentType::application_data);
    } else {
      bufs[i] = std::make_unique<RecordBuffer>(hr + contents[i].size() + tail);
      ops[i] = seal_op(*state, *bufs[i], contents[i], ContentType::application_data);
    }
  }
  ASSERT_EQ(proc->process(ops), n);
  for (size_t i = 0; i < n; ++i) {
    EXPECT_EQ(ops[i].seq, i);
    const Bytes record = i % 3 == 1 ? chains[i].bytes() : Bytes(bufs[i]->data(), bufs[i]->data() + ops[i].length);
    const auto opened = ref_open(keys, i, record);
    ASSERT_TRUE(opened.has_value()) << "record " << i;
    EXPECT_EQ(opened->content, contents[i]);
  }
}

std::vector<SgParam> sg_params() {
  std::vector<SgParam> v;
  for (Suite s : aead_suites()) {
    for (ImbArch a : available_archs()) v.emplace_back(s, a);
  }
  return v;
}

INSTANTIATE_TEST_SUITE_P(AllAeadSuites, ScatterGatherTest, ::testing::ValuesIn(sg_params()),
                         [](const ::testing::TestParamInfo<SgParam>& info) {
                           return suite_id(std::get<0>(info.param)) + "_" +
                                  std::string(arch_name(std::get<1>(info.param)));
                         });

TEST(ScatterGatherCbcTest, CbcSuitesRefuseSegments) {
  auto proc = make_processor(ImbArch::auto_detect);
  ASSERT_TRUE(proc.has_value());
  Rng rng(test_seed());
  const Suite s = Suite::tls12_aes_128_cbc_sha;
  const SuiteInfo& info = suite_info(s);
  DirectionState state;
  const Bytes key = rng.bytes(info.key_len), mac = rng.bytes(info.mac_key_len);
  ASSERT_TRUE(proc->install(state, DirectionKeys::make(s, key, {}, mac, 0)).ok());
  Bytes layout(600, 0);
  Chain chain = Chain::from(layout, {300, 300});
  RecordOp op = sg_op(state, chain, RecordOpKind::seal, 100, ContentType::application_data);
  EXPECT_EQ(run_one(*proc, op), RecordStatus::buffer_too_small);
  EXPECT_EQ(state.seq, 0u);
}

}  // namespace
}  // namespace tlsburst::record::test
