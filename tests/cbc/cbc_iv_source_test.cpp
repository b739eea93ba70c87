// The explicit-IV generator: bulk refills, reseeding from the kernel after the configured number
// of blocks, refusal before init or for oversized requests, and output that looks random.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <set>

#include "engine/record/explicit_iv_source.hpp"
#include "engine/record/imb_manager.hpp"

namespace tlsburst::record {
namespace {

TEST(ExplicitIvSourceTest, RefusesBeforeInitAndOversizedRequests) {
  auto mgr = ImbManager::create();
  ASSERT_TRUE(mgr);
  ExplicitIvSource src(mgr->get());
  uint8_t buf[16];
  EXPECT_FALSE(src.take(buf, sizeof buf));
  ASSERT_TRUE(src.init().ok());
  EXPECT_TRUE(src.take(buf, sizeof buf));
  std::vector<uint8_t> big(ExplicitIvSource::pool_len + 1);
  EXPECT_FALSE(src.take(big.data(), big.size()));
  EXPECT_TRUE(src.take(big.data(), ExplicitIvSource::pool_len));
}

TEST(ExplicitIvSourceTest, RefillsInBulkAndReseedsAfterTheBound) {
  auto mgr = ImbManager::create();
  ASSERT_TRUE(mgr);
  const uint64_t blocks_per_pool = ExplicitIvSource::pool_len / 16;
  ExplicitIvSource src(mgr->get(), 3 * blocks_per_pool);
  ASSERT_TRUE(src.init().ok());
  EXPECT_EQ(src.num_seeds(), 1u);
  EXPECT_EQ(src.num_refills(), 1u);
  uint8_t iv[16];
  const size_t per_pool = ExplicitIvSource::pool_len / sizeof iv;
  for (size_t i = 0; i < per_pool * 10; ++i) ASSERT_TRUE(src.take(iv, sizeof iv));
  // One refill per pool of IVs, not one per IV; a reseed every three pools.
  EXPECT_EQ(src.num_refills(), 10u);
  EXPECT_EQ(src.num_seeds(), 1u + 3u);
}

TEST(ExplicitIvSourceTest, OutputHasNoRepeatsAndBalancedBytes) {
  auto mgr = ImbManager::create();
  ASSERT_TRUE(mgr);
  ExplicitIvSource a(mgr->get(), 1000);
  ExplicitIvSource b(mgr->get());
  ASSERT_TRUE(a.init().ok());
  ASSERT_TRUE(b.init().ok());
  std::set<std::array<uint8_t, 16>> seen;
  std::array<uint64_t, 256> counts{};
  const size_t n = 100000;
  for (ExplicitIvSource* src : {&a, &b}) {
    for (size_t i = 0; i < n; ++i) {
      std::array<uint8_t, 16> iv;
      ASSERT_TRUE(src->take(iv.data(), iv.size()));
      seen.insert(iv);
      for (uint8_t v : iv) ++counts[v];
    }
  }
  EXPECT_EQ(seen.size(), 2 * n);
  // Chi-square over byte values, 255 degrees of freedom: far beyond 400 means not random.
  const double expected = 2.0 * n * 16 / 256;
  double chi2 = 0;
  for (uint64_t c : counts) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 400.0);
}

}  // namespace
}  // namespace tlsburst::record
