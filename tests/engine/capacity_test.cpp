// One million sessions per core on two workers: all created through the control plane while the
// workers run, a sample of them (first, last and random slots) carrying records that OpenSSL
// verifies, the million-and-first refused, and the memory per session reported (suite 'slow').
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <random>
#include <string>

#include "tests/engine/engine_fixture.hpp"

namespace tlsburst::engine::test {
namespace {

using record::ContentType;
using record::RecordOpKind;
using record::Suite;

class CapacityEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { init_test_eal(test_eal_args("engine_capacity")); }
};
const auto* const g_env = ::testing::AddGlobalTestEnvironment(new CapacityEnvironment);

uint64_t rss_bytes() {
  std::ifstream f("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  f >> size >> resident;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

TEST(CapacityTest, OneMillionSessionsPerCore) {
  constexpr uint32_t per_core = 1u << 20;
  EngineFixture f;
  EngineConfig config;
  config.sessions_per_core = per_core;
  ASSERT_NO_FATAL_FAILURE(f.start(config));
  const uint32_t num_cores = f.engine->num_cores();
  ASSERT_GE(num_cores, 1u);
  ControlPlaneConfig cc;
  cc.messages_per_core = 4096;
  auto cp = ControlPlane::create(*f.engine, cc);
  ASSERT_TRUE(cp.ok());

  // Few distinct keys (expansion is not what is measured); every session still gets its own copy.
  const Suite suite = Suite::tls13_aes_128_gcm_sha256;
  std::vector<SessionKeys> keys;
  for (uint32_t i = 0; i < 64; ++i) keys.push_back({random_keys(suite, 10 + i), random_keys(suite, 100 + i)});

  const uint64_t rss0 = rss_bytes();
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::vector<SessionHandle>> handles(num_cores);
  for (uint32_t c = 0; c < num_cores; ++c) handles[c].reserve(per_core);
  for (uint32_t i = 0; i < per_core; ++i) {
    for (uint32_t c = 0; c < num_cores; ++c) {
      auto h = cp.value()->create_session(keys[i % keys.size()], c);
      ASSERT_TRUE(h.ok()) << "session " << i << " on core " << c << ": " << h.error().message;
      handles[c].push_back(*h);
    }
  }
  for (uint32_t c = 0; c < num_cores; ++c) ASSERT_TRUE(cp.value()->barrier(c));
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const uint64_t rss1 = rss_bytes();
  const uint64_t total = uint64_t{per_core} * num_cores;
  std::printf("created %llu sessions (%u per core on %u cores) in %.1f s (%.0f/s); memory per session: %zu bytes "
              "in the table, %.0f bytes measured (RSS growth / sessions)\n",
              (unsigned long long)total, per_core, num_cores, secs, total / secs, Engine::bytes_per_session(),
              static_cast<double>(rss1 - rss0) / static_cast<double>(total));
  for (uint32_t c = 0; c < num_cores; ++c) {
    EXPECT_EQ(f.engine->slots(c).num_live(), per_core);
    EXPECT_EQ(f.engine->table(c).num_live(), per_core);  // after the barrier
    EXPECT_FALSE(cp.value()->create_session(keys[0], c).ok()) << "core " << c << " accepted session 2^20 + 1";
  }

  // Records on a sample of sessions: the first and last slots and random ones in between.
  std::mt19937_64 rng(3);
  std::vector<std::pair<uint32_t, uint32_t>> sample;  // (core, index)
  for (uint32_t c = 0; c < num_cores; ++c) {
    sample.push_back({c, 0});
    sample.push_back({c, per_core - 1});
    for (int i = 0; i < 500; ++i) sample.push_back({c, static_cast<uint32_t>(rng() % per_core)});
  }
  std::vector<rte_mbuf*> reqs;
  for (size_t i = 0; i < sample.size(); ++i) {
    rte_mbuf* m = make_mbuf(f.pool, Bytes(200, static_cast<uint8_t>(i)));
    ASSERT_NE(m, nullptr);
    ASSERT_TRUE(set_request(m, handles[sample[i].first][sample[i].second], RecordOpKind::seal,
                            ContentType::application_data, i));
    reqs.push_back(m);
  }
  size_t verified = 0;
  for (size_t begin = 0; begin < reqs.size(); begin += 512) {
    const size_t n = std::min<size_t>(512, reqs.size() - begin);
    const auto done = run_requests(*f.client, std::span<rte_mbuf* const>(reqs.data() + begin, n));
    ASSERT_EQ(done.size(), n);
    for (rte_mbuf* m : done) {
      const RequestMeta& meta = request_meta(m);
      ASSERT_TRUE(meta.ok()) << "sample " << meta.user_tag;
      const auto [c, idx] = sample[meta.user_tag];
      auto opened = reference_open(keys[idx % keys.size()].seal, meta.seq, mbuf_bytes(m));
      ASSERT_TRUE(opened.has_value()) << "core " << c << " session " << idx;
      EXPECT_EQ(opened->plaintext, Bytes(200, static_cast<uint8_t>(meta.user_tag)));
      ++verified;
    }
    free_all(done);
  }
  EXPECT_EQ(verified, sample.size());
  // A removed session in the middle of the table is rejected, its neighbours are not affected.
  const SessionHandle gone = handles[0][per_core / 2];
  ASSERT_TRUE(cp.value()->remove(gone));
  rte_mbuf* m = make_mbuf(f.pool, Bytes(10, 1));
  ASSERT_TRUE(set_request(m, gone, RecordOpKind::seal));
  auto done = run_requests(*f.client, std::span<rte_mbuf* const>(&m, 1));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(request_meta(m).reject, RejectReason::stale_session);
  free_all(done);
  cp.value().reset();
}

}  // namespace
}  // namespace tlsburst::engine::test
