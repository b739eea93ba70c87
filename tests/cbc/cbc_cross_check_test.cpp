// Randomized cross-check of the CBC record path against the OpenSSL reference composition, both
// directions, every CBC suite, MAC-then-encrypt and encrypt-then-MAC, every ipsec-mb path.
//
// Lengths: every length 0..2048 and a random sample up to 2^14 (both ends included) on the
// detected path; a smaller sample on the other paths. TLSBURST_CBC_ALL_LENGTHS=1 runs every
// length 0..16384 on every path. Opens use every valid padding length in turn (and a random one
// elsewhere), so each padding length is seen for many record lengths.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "tests/cbc/cbc_reference.hpp"
#include "tests/cbc/cbc_test_support.hpp"

namespace tlsburst::record::test {
namespace {

using Param = std::tuple<ImbArch, Suite, bool>;

std::vector<size_t> lengths_for(ImbArch arch, Rng& rng) {
  std::vector<size_t> out;
  const bool all = env_count("TLSBURST_CBC_ALL_LENGTHS", 0) != 0;
  if (all) {
    for (size_t n = 0; n <= max_plaintext_len; ++n) out.push_back(n);
    return out;
  }
  const bool full = arch == detected_arch();
  const size_t dense = full ? 2048 : 300;
  for (size_t n = 0; n <= dense; ++n) out.push_back(n);
  const size_t sample = full ? 600 : 120;
  for (size_t i = 0; i < sample; ++i) out.push_back(rng.between(dense + 1, max_plaintext_len));
  for (size_t n : {size_t{4095}, size_t{4096}, size_t{4097}, max_plaintext_len - 1, max_plaintext_len}) out.push_back(n);
  return out;
}

class CbcCrossCheckTest : public ::testing::TestWithParam<Param> {
 protected:
  ImbArch arch() const { return std::get<0>(GetParam()); }
  Suite suite() const { return std::get<1>(GetParam()); }
  bool etm() const { return std::get<2>(GetParam()); }
  uint64_t seed() const { return derive_seed(test_seed(), cbc_case_id(suite(), etm()) + std::string(arch_name(arch()))); }
};

// Records sealed by tlsburst open with the reference, in bursts of varying size, with both
// padding policies; minimal padding has the expected length.
TEST_P(CbcCrossCheckTest, SealedRecordsOpenWithReference) {
  Rng rng(seed());
  for (const CbcPadding padding : {CbcPadding::minimal, CbcPadding::randomized}) {
    RecordProcessorOptions options;
    options.arch = arch();
    options.cbc_padding = padding;
    auto proc = make_processor(options);
    ASSERT_TRUE(proc);
    auto peer = make_peer(*proc, suite(), etm(), rng, rng.below(1u << 20));
    std::vector<size_t> lengths = lengths_for(arch(), rng);
    if (padding == CbcPadding::randomized) lengths.resize(std::min<size_t>(lengths.size(), 700));
    const size_t mac_len = cbc_mac_len(suite());
    std::set<size_t> padded_sizes_of_len0;
    size_t pos = 0;
    while (pos < lengths.size()) {
      const size_t burst = std::min<size_t>(lengths.size() - pos, rng.between(1, 140));
      std::vector<Bytes> contents;
      std::vector<ContentType> types;
      for (size_t i = 0; i < burst; ++i) {
        contents.push_back(rng.bytes(lengths[pos + i]));
        types.push_back(rng.chance(80) ? ContentType::application_data : ContentType::handshake);
      }
      std::vector<DirectionState*> states(burst, &peer->sender);
      auto sealed = seal_burst(*proc, states, contents, types);
      for (size_t i = 0; i < burst; ++i) {
        const BurstRecord& r = *sealed[i];
        ASSERT_EQ(r.op.status, RecordStatus::ok) << "len " << contents[i].size();
        ASSERT_TRUE(r.buffer.guard_intact());
        const Bytes rec = record_of(r);
        const size_t unpadded = contents[i].size() + (etm() ? 0 : mac_len) + 1;
        const size_t trailer = etm() ? mac_len : 0;
        if (padding == CbcPadding::minimal) {
          ASSERT_EQ(rec.size(), 5 + 16 + (unpadded + 15) / 16 * 16 + trailer) << "len " << contents[i].size();
        } else {
          ASSERT_LE(rec.size(), 5 + 16 + unpadded + 255 + trailer);
          ASSERT_EQ((rec.size() - 5 - (etm() ? mac_len : 0)) % 16, 0u);
          if (contents[i].size() < 64) padded_sizes_of_len0.insert(rec.size() - contents[i].size());
        }
        auto opened = ref_open(peer->keys, r.op.seq, rec);
        ASSERT_TRUE(opened.has_value()) << "reference rejects a sealed record, len " << contents[i].size()
                                        << " seq " << r.op.seq;
        ASSERT_EQ(opened->type, static_cast<uint8_t>(types[i]));
        ASSERT_EQ(opened->content, contents[i]);
      }
      pos += burst;
    }
    if (padding == CbcPadding::randomized) {
      EXPECT_GT(padded_sizes_of_len0.size(), 4u) << "randomized padding never varied";
    }
  }
}

// Records sealed by the reference, with every valid padding length in turn, open with tlsburst.
TEST_P(CbcCrossCheckTest, ReferenceRecordsOpen) {
  Rng rng(seed() ^ 0x5eed);
  auto proc = make_processor(arch());
  ASSERT_TRUE(proc);
  const uint64_t first_seq = rng.below(1u << 30);
  auto peer = make_peer(*proc, suite(), etm(), rng, first_seq);
  const std::vector<size_t> lengths = lengths_for(arch(), rng);
  uint64_t seq = first_seq;
  size_t pos = 0;
  size_t pad_cursor = 0;
  std::set<uint32_t> pads_seen;
  while (pos < lengths.size()) {
    const size_t burst = std::min<size_t>(lengths.size() - pos, rng.between(1, 140));
    std::vector<Bytes> records, contents;
    std::vector<uint8_t> types;
    for (size_t i = 0; i < burst; ++i) {
      contents.push_back(rng.bytes(lengths[pos + i]));
      types.push_back(rng.chance(50) ? 23 : static_cast<uint8_t>(rng.between(20, 22)));
      const auto pads = valid_padding_lens(peer->keys, contents.back().size());
      // 16 consecutive lengths cover every residue, so stepping the index per 16 covers every pad.
      const uint32_t pad = pads[(pad_cursor++ / 16) % pads.size()];
      pads_seen.insert(pad);
      records.push_back(ref_seal(peer->keys, seq++, types.back(), contents.back(), pad, rng.bytes(16)));
    }
    std::vector<DirectionState*> states(burst, &peer->receiver);
    auto opened = open_burst(*proc, states, records);
    for (size_t i = 0; i < burst; ++i) {
      const BurstRecord& r = *opened[i];
      ASSERT_EQ(r.op.status, RecordStatus::ok) << "len " << contents[i].size() << " record " << records[i].size();
      ASSERT_EQ(static_cast<uint8_t>(r.op.type), types[i]);
      ASSERT_EQ(plaintext_of(r), contents[i]);
      ASSERT_TRUE(r.buffer.guard_intact());
    }
    pos += burst;
  }
  EXPECT_EQ(pads_seen.size(), 256u) << "not every padding length was exercised";
}

// Every padding length for a set of record lengths, each as its own record in one burst.
TEST_P(CbcCrossCheckTest, EveryPaddingLength) {
  Rng rng(seed() ^ 0xbadd);
  auto proc = make_processor(arch());
  ASSERT_TRUE(proc);
  auto peer = make_peer(*proc, suite(), etm(), rng);
  uint64_t seq = 0;
  for (const size_t len : {size_t{0}, size_t{1}, size_t{27}, size_t{64}, size_t{255}, size_t{1000}, size_t{16000},
                           max_plaintext_len}) {
    const Bytes content = rng.bytes(len);
    std::vector<Bytes> records;
    for (uint32_t pad : valid_padding_lens(peer->keys, len)) {
      records.push_back(ref_seal(peer->keys, seq++, 23, content, pad, rng.bytes(16)));
    }
    std::vector<DirectionState*> states(records.size(), &peer->receiver);
    auto opened = open_burst(*proc, states, records);
    for (size_t i = 0; i < records.size(); ++i) {
      ASSERT_EQ(opened[i]->op.status, RecordStatus::ok) << "len " << len << " pad index " << i;
      ASSERT_EQ(plaintext_of(*opened[i]), content);
    }
  }
}

std::vector<Param> all_params() {
  std::vector<Param> out;
  for (ImbArch a : available_archs()) {
    for (Suite s : cbc_suites()) {
      for (bool etm : {false, true}) out.emplace_back(a, s, etm);
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(AllPaths, CbcCrossCheckTest, ::testing::ValuesIn(all_params()),
                         [](const ::testing::TestParamInfo<Param>& info) {
                           return std::string(arch_name(std::get<0>(info.param))) + "_" +
                                  cbc_case_id(std::get<1>(info.param), std::get<2>(info.param));
                         });

}  // namespace
}  // namespace tlsburst::record::test
