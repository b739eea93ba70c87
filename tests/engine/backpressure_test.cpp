// Backpressure: a full input ring or an exhausted completion credit stops submit() at a prefix of
// the burst, the caller is told, and after the worker catches up every accepted request completes
// exactly once. Manual workers make the ring states deterministic.
#include <gtest/gtest.h>

#include <set>

#include "tests/engine/engine_fixture.hpp"

namespace tlsburst::engine::test {
namespace {

using record::ContentType;
using record::RecordOpKind;
using record::Suite;

constexpr Suite suite = Suite::tls13_aes_256_gcm_sha384;

class BackpressureTest : public ::testing::Test {
 protected:
  void start(uint32_t input_ring_len, uint32_t completion_ring_len, uint32_t num_workers = 1) {
    EngineConfig config;
    config.launch = WorkerLaunch::manual;
    config.num_manual_workers = num_workers;
    config.input_ring_len = input_ring_len;
    config.dequeue_burst = 4;
    ClientConfig cc;
    cc.completion_ring_len = completion_ring_len;
    ASSERT_NO_FATAL_FAILURE(f.start(config, cc, 512, RTE_MBUF_DEFAULT_BUF_SIZE));
    for (uint32_t c = 0; c < num_workers; ++c) {
      auto h = f.control->create_session({random_keys(suite, 1 + c), random_keys(suite, 2 + c)}, c);
      ASSERT_TRUE(h.ok());
      handles.push_back(*h);
      ASSERT_TRUE(f.control->barrier(c));
    }
  }

  std::vector<rte_mbuf*> make_requests(size_t n) {
    std::vector<rte_mbuf*> v;
    for (size_t i = 0; i < n; ++i) {
      const Bytes pt(32, static_cast<uint8_t>(i));
      rte_mbuf* m = make_mbuf(f.pool, pt);
      EXPECT_NE(m, nullptr);
      set_request(m, handles[i % handles.size()], RecordOpKind::seal, ContentType::application_data, i);
      v.push_back(m);
    }
    return v;
  }

  // Polls the workers and the client until `n` completions arrived.
  void drain(std::vector<rte_mbuf*>& done, size_t n) {
    rte_mbuf* out[64];
    for (int spins = 0; done.size() < n && spins < 100000; ++spins) {
      for (uint32_t c = 0; c < f.engine->num_cores(); ++c) f.engine->poll(c);
      const uint32_t got = f.client->poll(out);
      done.insert(done.end(), out, out + got);
    }
  }

  EngineFixture f;
  std::vector<SessionHandle> handles;
};

TEST_F(BackpressureTest, CompletionCreditLimitsWhatIsInFlight) {
  ASSERT_NO_FATAL_FAILURE(start(64, 8));
  auto reqs = make_requests(20);
  EXPECT_EQ(f.client->submit(reqs), 8u);
  EXPECT_FALSE(f.client->last_stop_was_ring_full());
  EXPECT_EQ(f.client->in_flight(), 8u);
  // Nothing more until completions are collected, even though the input ring has room.
  EXPECT_EQ(f.client->submit(std::span(reqs).subspan(8)), 0u);
  std::vector<rte_mbuf*> done;
  drain(done, 8);
  ASSERT_EQ(done.size(), 8u);
  EXPECT_EQ(f.client->in_flight(), 0u);
  size_t submitted = 8;
  while (submitted < reqs.size()) {
    const uint32_t n = f.client->submit(std::span(reqs).subspan(submitted));
    EXPECT_LE(n, 8u);
    submitted += n;
    drain(done, submitted);
  }
  ASSERT_EQ(done.size(), reqs.size());
  for (size_t i = 0; i < done.size(); ++i) {
    EXPECT_EQ(done[i], reqs[i]) << "completion " << i << " out of order";
    EXPECT_TRUE(request_meta(done[i]).ok());
    EXPECT_EQ(request_meta(done[i]).seq, i);
  }
  free_all(done);
}

TEST_F(BackpressureTest, FullInputRingIsReportedAndNothingIsLost) {
  ASSERT_NO_FATAL_FAILURE(start(16, 256));
  auto reqs = make_requests(40);
  const uint32_t accepted = f.client->submit(reqs);
  EXPECT_EQ(accepted, 16u);
  EXPECT_TRUE(f.client->last_stop_was_ring_full());
  EXPECT_EQ(f.client->submit(std::span(reqs).subspan(accepted)), 0u);
  std::vector<rte_mbuf*> done;
  size_t submitted = accepted;
  while (done.size() < reqs.size()) {
    drain(done, submitted);
    if (submitted < reqs.size()) submitted += f.client->submit(std::span(reqs).subspan(submitted));
  }
  std::set<rte_mbuf*> unique(done.begin(), done.end());
  EXPECT_EQ(unique.size(), reqs.size()) << "a request completed twice";
  for (size_t i = 0; i < done.size(); ++i) EXPECT_EQ(request_meta(done[i]).user_tag, i);
  const StatsSnapshot s = f.engine->stats(0);
  EXPECT_EQ(s.records_sealed, reqs.size());
  EXPECT_EQ(s.ring_depth_max, 16u);
  free_all(done);
}

TEST_F(BackpressureTest, SubmitStopsAtThePrefixWhenOneCoreIsFull) {
  ASSERT_NO_FATAL_FAILURE(start(8, 256, 2));
  // Alternating cores: core 0's ring fills at its 8th request, so submit stops there even though
  // core 1 has room, keeping the burst's order.
  auto reqs = make_requests(40);
  const uint32_t accepted = f.client->submit(reqs);
  EXPECT_EQ(accepted, 16u);
  EXPECT_EQ(f.client->in_flight(0), 8u);
  EXPECT_EQ(f.client->in_flight(1), 8u);
  std::vector<rte_mbuf*> done;
  size_t submitted = accepted;
  while (done.size() < reqs.size()) {
    drain(done, submitted);
    if (submitted < reqs.size()) submitted += f.client->submit(std::span(reqs).subspan(submitted));
  }
  std::vector<uint64_t> last(2, 0);
  std::vector<bool> seen(2, false);
  for (rte_mbuf* m : done) {
    const RequestMeta& meta = request_meta(m);
    const uint32_t c = meta.session.core();
    if (seen[c]) {
      EXPECT_GT(meta.user_tag, last[c]);
    }
    seen[c] = true;
    last[c] = meta.user_tag;
    EXPECT_TRUE(meta.ok());
  }
  free_all(done);
}

}  // namespace
}  // namespace tlsburst::engine::test
