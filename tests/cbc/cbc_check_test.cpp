// The constant-time padding and MAC check of MAC-then-encrypt opens (cbc_mac_check.hpp), called
// directly on decrypted bodies: verdict and content length against the reference for valid and
// crafted bodies, and the same number of compression-function calls for every padding length
// (and every kind of failure) of a given record length.
#include <gtest/gtest.h>

#include <set>

#include "engine/record/cbc_mac_check.hpp"
#include "engine/record/direction_state.hpp"
#include "tests/cbc/cbc_reference.hpp"
#include "tests/cbc/cbc_test_support.hpp"

namespace tlsburst::record::test {
namespace {

class CbcCheckTest : public ::testing::TestWithParam<Suite> {
 protected:
  void SetUp() override {
    proc = make_processor(ImbArch::auto_detect);
    ASSERT_TRUE(proc);
    Rng rng(derive_seed(test_seed(), suite_id(GetParam()) + "check"));
    peer = make_peer(*proc, GetParam(), false, rng);
    mac = suite_info(GetParam()).mac;
    mac_len = cbc_mac_len(GetParam());
  }

  // content || MAC(seq, type 23) || pad+1 bytes of `pad_byte`.
  Bytes body(const Bytes& content, uint32_t pad, uint64_t seq, uint8_t pad_byte) const {
    Bytes input = ref_pseudo_header(seq, 23, 0x0303, static_cast<uint16_t>(content.size()));
    input.insert(input.end(), content.begin(), content.end());
    Bytes b = content;
    const Bytes m = ref_hmac(GetParam(), peer->keys.mac_key, input);
    b.insert(b.end(), m.begin(), m.end());
    b.insert(b.end(), pad + 1, pad_byte);
    return b;
  }

  CbcCheckResult check(const Bytes& b, uint64_t seq, CbcCheckStats* stats = nullptr) const {
    uint8_t header[cbc_public_header_len];
    for (int i = 0; i < 8; ++i) header[i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
    header[8] = 23;
    header[9] = 3;
    header[10] = 3;
    const CbcHmacKeys& k = peer->receiver.keys.cbc;
    return cbc_mte_check(mac, k.ipad_state, k.opad_state, header, b.data(), b.size(), stats);
  }

  std::optional<RecordProcessor> proc;
  std::unique_ptr<CbcPeer> peer;
  MacAlgorithm mac = MacAlgorithm::none;
  size_t mac_len = 0;
};

TEST_P(CbcCheckTest, AcceptsEveryValidPaddingAndReportsTheContentLength) {
  Rng rng(derive_seed(test_seed(), suite_id(GetParam()) + "valid"));
  for (size_t len = 0; len < 600; len += rng.between(1, 9)) {
    const Bytes content = rng.bytes(len);
    for (uint32_t pad : valid_padding_lens(peer->keys, len)) {
      const CbcCheckResult r = check(body(content, pad, len, static_cast<uint8_t>(pad)), len);
      ASSERT_EQ(r.good_mask, ~uint32_t{0}) << "len " << len << " pad " << pad;
      ASSERT_EQ(r.content_len, len);
    }
  }
}

TEST_P(CbcCheckTest, RejectsBadPaddingBadMacAndWrongSequence) {
  Rng rng(derive_seed(test_seed(), suite_id(GetParam()) + "bad"));
  for (size_t len : {size_t{0}, size_t{5}, size_t{100}, size_t{333}, size_t{1024}}) {
    const Bytes content = rng.bytes(len);
    for (uint32_t pad : valid_padding_lens(peer->keys, len)) {
      const Bytes good = body(content, pad, 7, static_cast<uint8_t>(pad));
      ASSERT_EQ(check(good, 7).good_mask, ~uint32_t{0});
      EXPECT_EQ(check(good, 8).good_mask, 0u) << "wrong sequence number accepted";
      // Any one padding byte (including padding_length itself) changed.
      for (size_t i = good.size() - 1 - pad; i < good.size(); ++i) {
        Bytes b = good;
        b[i] ^= static_cast<uint8_t>(rng.between(1, 255));
        EXPECT_EQ(check(b, 7).good_mask, 0u) << "len " << len << " pad " << pad << " byte " << i;
      }
      // Any one MAC byte changed.
      for (size_t i = len; i < len + mac_len; ++i) {
        Bytes b = good;
        b[i] ^= 0x01;
        EXPECT_EQ(check(b, 7).good_mask, 0u);
      }
    }
    // padding_length reaching into the MAC, or past the start of the body.
    const Bytes content2 = rng.bytes(len);
    Bytes b = body(content2, valid_padding_lens(peer->keys, len)[0], 7, 0);
    for (uint32_t claim : {uint32_t(b.size() - mac_len), uint32_t(b.size() - 1), uint32_t{255}}) {
      if (claim > 255) continue;
      Bytes c = b;
      std::fill(c.end() - std::min<size_t>(c.size(), claim + 1), c.end(), static_cast<uint8_t>(claim));
      EXPECT_EQ(check(c, 7).good_mask, 0u) << "claim " << claim;
    }
  }
}

// Lucky Thirteen: the compression-function count depends on the body length only.
TEST_P(CbcCheckTest, CompressionCallsDoNotDependOnPadding) {
  Rng rng(derive_seed(test_seed(), suite_id(GetParam()) + "count"));
  for (size_t body_len = 16; body_len <= 16384 + 256 + 48; body_len += 16) {
    if (body_len < mac_len + 1) continue;
    if (body_len > 1200 && body_len % 1024 >= 48 && body_len < 16384) continue;  // sample the large ones
    std::set<uint32_t> counts;
    const size_t max_pad = std::min<size_t>(255, body_len - mac_len - 1);
    for (size_t pad = 0; pad <= max_pad; ++pad) {
      const Bytes content = rng.bytes(body_len - mac_len - 1 - pad);
      const Bytes good = body(content, static_cast<uint32_t>(pad), 3, static_cast<uint8_t>(pad));
      ASSERT_EQ(good.size(), body_len);
      CbcCheckStats stats;
      ASSERT_EQ(check(good, 3, &stats).good_mask, ~uint32_t{0});
      counts.insert(stats.num_compressions);
      // The same length failing in the padding, the MAC, or with an impossible padding_length.
      Bytes bad_pad = good;
      bad_pad[body_len - 1 - pad / 2] ^= pad == 0 ? 0 : 1;
      bad_pad[body_len - 1] = pad == 0 ? 0xff : bad_pad[body_len - 1];
      CbcCheckStats s2;
      EXPECT_EQ(check(bad_pad, 3, &s2).good_mask, 0u);
      counts.insert(s2.num_compressions);
      Bytes bad_mac = good;
      bad_mac[content.size()] ^= 0x80;
      CbcCheckStats s3;
      EXPECT_EQ(check(bad_mac, 3, &s3).good_mask, 0u);
      counts.insert(s3.num_compressions);
    }
    ASSERT_EQ(counts.size(), 1u) << "body length " << body_len << ": compression count varies with padding";
    EXPECT_GE(*counts.begin(), 2u);
  }
}

INSTANTIATE_TEST_SUITE_P(CbcSuites, CbcCheckTest, ::testing::ValuesIn(cbc_suites()),
                         [](const ::testing::TestParamInfo<Suite>& info) { return suite_id(info.param); });

}  // namespace
}  // namespace tlsburst::record::test
