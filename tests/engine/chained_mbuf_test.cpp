// Chained (multi-segment) mbufs for every suite: a 16 KB record spread over 2 KB segments, as NIC
// receive produces, is sealed and opened correctly; odd segment sizes too; seals that need more room
// than the chain has get a segment appended, opens that shrink free the segments left over. AEAD
// suites run scatter-gather over the chain (except where the first segment is too short for the
// header, which is staged); CBC suites go through the staging copy. A seal that fails leaves the
// chain as it was.
#include <gtest/gtest.h>

#include <random>

#include "engine/core/mbuf_record.hpp"
#include "tests/engine/engine_fixture.hpp"

namespace tlsburst::engine::test {
namespace {

using record::ContentType;
using record::RecordOpKind;
using record::Suite;

class ChainedMbufTest : public ::testing::TestWithParam<SuiteCase> {
 protected:
  void SetUp() override {
    // 2 KB segments as a NIC with 2 KB receive buffers; enough for 16 KB records in chains.
    ASSERT_NO_FATAL_FAILURE(f.start({}, {}, 2048, RTE_MBUF_DEFAULT_BUF_SIZE));
  }
  EngineFixture f;
  std::mt19937_64 rng{7};

  record::DirectionKeys keys(uint64_t seed) const { return random_keys(GetParam().suite, seed, GetParam().etm); }
  bool is_cbc() const {
    return record::suite_info(GetParam().suite).family == record::CipherFamily::aes_cbc_hmac;
  }

  Bytes random_bytes(size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
  }
};

struct ChainCase {
  size_t len;
  size_t seg_len;
};
constexpr ChainCase chain_cases[] = {
    {16384, 2048}, {16384, 2000}, {16000, 1500}, {1000, 100}, {300, 7}, {4096, 2048}, {1, 1}, {2049, 2048},
};

TEST_P(ChainedMbufTest, SealChainedPlaintext) {
  const SessionKeys k{keys(1), keys(2)};
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok()) << h.error().message;
  std::vector<Bytes> pts;
  for (const auto& c : chain_cases) pts.push_back(random_bytes(c.len));
  const auto reqs = seal_requests(f.pool, *h, pts, [](size_t i) { return chain_cases[i].seg_len; });
  ASSERT_EQ(reqs.size(), pts.size());
  uint64_t expect_sg = 0;
  for (size_t i = 0; i < reqs.size(); ++i) {
    const rte_mbuf* m = reqs[i];
    if (m->nb_segs > 1 && use_scatter_gather(m)) ++expect_sg;
    EXPECT_EQ(m->nb_segs, (chain_cases[i].len + chain_cases[i].seg_len - 1) / chain_cases[i].seg_len);
  }
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), reqs.size());
  for (size_t i = 0; i < done.size(); ++i) {
    const RequestMeta& meta = request_meta(done[i]);
    ASSERT_EQ(meta.user_tag, i);
    ASSERT_TRUE(meta.ok()) << "case " << i << ": " << record::status_name(meta.status) << "/"
                           << reject_name(meta.reject);
    const Bytes rec = mbuf_bytes(done[i]);
    auto opened = reference_open(k.seal, meta.seq, rec);
    ASSERT_TRUE(opened.has_value()) << "case " << i << " does not open with OpenSSL";
    EXPECT_EQ(opened->plaintext, pts[i]) << "case " << i;
    EXPECT_GE(done[i]->nb_segs, 1);
    // Every segment stays within its buffer.
    for (const rte_mbuf* seg = done[i]; seg != nullptr; seg = seg->next) {
      EXPECT_LE(size_t{seg->data_off} + seg->data_len, size_t{seg->buf_len});
    }
  }
  free_all(done);
  const StatsSnapshot s = f.engine->total_stats();
  EXPECT_EQ(s.records_sealed, reqs.size());
  if (is_cbc()) {
    EXPECT_EQ(s.scatter_gather_records, 0u);
    EXPECT_GE(s.staged_records, 1u);
  } else {
    // Chains of long enough segments (their first segments have a fresh mbuf's headroom).
    EXPECT_GE(expect_sg, 4u);
    EXPECT_EQ(s.scatter_gather_records, expect_sg);
    EXPECT_EQ(s.staged_records, std::size(chain_cases) - 1 - expect_sg);  // {1, 1} is one segment
  }
}

// Chained and single-segment records in the same bursts, over several bursts, so that the worker
// reuses the batch slots of scatter-gather records for in-place ones and the other way round.
TEST_P(ChainedMbufTest, ChainedAndSingleSegmentRecordsMixInBursts) {
  const SessionKeys k{keys(9), keys(10)};
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok());
  for (int round = 0; round < 3; ++round) {
    auto chained = [round](size_t i) { return (i + static_cast<size_t>(round)) % 2 == 0; };
    std::vector<Bytes> pts;
    for (size_t i = 0; i < 12; ++i) pts.push_back(random_bytes(chained(i) ? 16384 : 100 + i));
    const auto reqs = seal_requests(f.pool, *h, pts, [&](size_t i) -> size_t { return chained(i) ? 2048 : 0; });
    ASSERT_EQ(reqs.size(), pts.size());
    const auto done = run_requests(*f.client, reqs);
    ASSERT_EQ(done.size(), reqs.size());
    for (size_t i = 0; i < done.size(); ++i) {
      const RequestMeta& meta = request_meta(done[i]);
      ASSERT_TRUE(meta.ok()) << "round " << round << " request " << i << ": " << record::status_name(meta.status);
      auto opened = reference_open(k.seal, meta.seq, mbuf_bytes(done[i]));
      ASSERT_TRUE(opened.has_value()) << "round " << round << " request " << i;
      EXPECT_EQ(opened->plaintext, pts[meta.user_tag]);
    }
    free_all(done);
  }
}

TEST_P(ChainedMbufTest, FailedSealLeavesTheChainAsItWas) {
  auto h = f.control->create_session(SessionKeys{keys(7), keys(8)});
  ASSERT_TRUE(h.ok());
  const Bytes pt = random_bytes(record::max_plaintext_len + 1);  // one byte too many
  rte_mbuf* m = make_mbuf(f.pool, pt, 2048);
  ASSERT_NE(m, nullptr);
  const uint16_t nb_segs = m->nb_segs;
  ASSERT_TRUE(set_request(m, *h, RecordOpKind::seal));
  const auto done = run_requests(*f.client, std::span<rte_mbuf* const>(&m, 1));
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(request_meta(m).status, record::RecordStatus::record_overflow);
  EXPECT_EQ(m->nb_segs, nb_segs);
  EXPECT_EQ(m->pkt_len, pt.size());
  EXPECT_EQ(mbuf_bytes(m), pt);
  rte_pktmbuf_free(m);
}

// Seals of full chains need a segment from the worker's segment pool for the record's tail. With
// the pool nearly empty, those that find none are refused with no_segment before the record layer
// sees them: the chain is as it was and no sequence number is spent, so that once segments are
// back the same requests seal with the next sequence numbers and every record opens.
TEST_P(ChainedMbufTest, SealsFindingNoSpareSegmentAreRefusedUntouchedAndCanBeRetried) {
  f.stop();
  EngineConfig config;
  config.segment_pool_len = 2;
  ASSERT_NO_FATAL_FAILURE(f.start(config, {}, 2048, RTE_MBUF_DEFAULT_BUF_SIZE));
  const SessionKeys k{keys(11), keys(12)};
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok()) << h.error().message;
  // 4 KB in two full 2 KB segments: no tailroom for the tag (and MAC, padding).
  std::vector<Bytes> pts;
  for (int i = 0; i < 5; ++i) pts.push_back(random_bytes(4096));
  auto reqs = seal_requests(f.pool, *h, pts, [](size_t) { return 2048; });
  ASSERT_EQ(reqs.size(), pts.size());
  for (rte_mbuf* m : reqs) ASSERT_EQ(rte_pktmbuf_tailroom(rte_pktmbuf_lastseg(m)), 0u);

  uint64_t next_seq = 0;
  std::vector<rte_mbuf*> refused;
  auto check_sealed = [&](rte_mbuf* m) {
    const RequestMeta& meta = request_meta(m);
    EXPECT_EQ(meta.seq, next_seq++);
    auto opened = reference_open(k.seal, meta.seq, mbuf_bytes(m));
    ASSERT_TRUE(opened.has_value()) << "request " << meta.user_tag;
    EXPECT_EQ(opened->plaintext, pts[meta.user_tag]);
  };
  auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), reqs.size());
  std::vector<rte_mbuf*> sealed;
  for (rte_mbuf* m : done) {
    const RequestMeta& meta = request_meta(m);
    if (meta.ok()) {
      ASSERT_NO_FATAL_FAILURE(check_sealed(m));
      sealed.push_back(m);
      continue;
    }
    EXPECT_EQ(meta.reject, RejectReason::no_segment) << record::status_name(meta.status);
    EXPECT_EQ(m->nb_segs, 2);
    EXPECT_EQ(mbuf_bytes(m), pts[meta.user_tag]) << "a refused seal changed its chain";
    refused.push_back(m);
  }
  EXPECT_EQ(sealed.size(), 2u) << "the pool had two segments to spare";
  EXPECT_EQ(f.engine->total_stats().rejects[static_cast<size_t>(RejectReason::no_segment)], refused.size());

  // Segments come back when the application frees the sealed records; the refused seals go again.
  free_all(sealed);
  while (!refused.empty()) {
    const size_t before = refused.size();
    for (rte_mbuf* m : refused) ASSERT_TRUE(set_request(m, *h, RecordOpKind::seal, ContentType::application_data, request_meta(m).user_tag));
    done = run_requests(*f.client, refused);
    ASSERT_EQ(done.size(), refused.size());
    refused.clear();
    for (rte_mbuf* m : done) {
      if (request_meta(m).ok()) {
        ASSERT_NO_FATAL_FAILURE(check_sealed(m));
        rte_pktmbuf_free(m);
      } else {
        EXPECT_EQ(request_meta(m).reject, RejectReason::no_segment);
        EXPECT_EQ(mbuf_bytes(m), pts[request_meta(m).user_tag]);
        refused.push_back(m);
      }
    }
    ASSERT_LT(refused.size(), before) << "no progress with the segments given back";
  }
  EXPECT_EQ(next_seq, pts.size());
}

TEST_P(ChainedMbufTest, OpenChainedRecord) {
  const SessionKeys k{keys(3), keys(4)};
  auto h = f.control->create_session(k);
  ASSERT_TRUE(h.ok()) << h.error().message;
  std::vector<rte_mbuf*> reqs;
  std::vector<Bytes> pts;
  uint64_t expect_sg = 0;
  for (size_t i = 0; i < std::size(chain_cases); ++i) {
    pts.push_back(random_bytes(chain_cases[i].len));
    const Bytes rec = reference_seal(k.open, i, ContentType::application_data, pts.back(), random_bytes(16));
    rte_mbuf* m = make_mbuf(f.pool, rec, chain_cases[i].seg_len);
    ASSERT_NE(m, nullptr);
    // The first segment must hold the header and explicit nonce too.
    if (m->nb_segs > 1 && use_scatter_gather(m) && m->data_len >= record::header_room(GetParam().suite)) ++expect_sg;
    ASSERT_TRUE(set_request(m, *h, RecordOpKind::open, ContentType::invalid, i));
    reqs.push_back(m);
  }
  const auto done = run_requests(*f.client, reqs);
  ASSERT_EQ(done.size(), reqs.size());
  for (size_t i = 0; i < done.size(); ++i) {
    const RequestMeta& meta = request_meta(done[i]);
    ASSERT_EQ(meta.user_tag, i);
    ASSERT_TRUE(meta.ok()) << "case " << i << ": " << record::status_name(meta.status) << "/"
                           << reject_name(meta.reject);
    EXPECT_EQ(meta.type, ContentType::application_data);
    EXPECT_EQ(mbuf_bytes(done[i]), pts[i]) << "case " << i;
  }
  free_all(done);
  const StatsSnapshot s = f.engine->total_stats();
  EXPECT_EQ(s.records_opened, reqs.size());
  if (is_cbc()) {
    EXPECT_EQ(s.scatter_gather_records, 0u);
  } else {
    EXPECT_GE(expect_sg, 4u);
    EXPECT_EQ(s.scatter_gather_records, expect_sg);
  }
}

TEST_P(ChainedMbufTest, SealThenOpenRoundTripInTheSameChain) {
  // A loopback session (both directions with the same keys): seal a chained 16 KB plaintext, then
  // open the resulting chained record through the engine again.
  const auto dk = keys(5);
  auto h = f.control->create_session(SessionKeys{dk, dk});
  ASSERT_TRUE(h.ok());
  const Bytes pt = random_bytes(16384);
  rte_mbuf* m = make_mbuf(f.pool, pt, 2048);
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(set_request(m, *h, RecordOpKind::seal));
  auto done = run_requests(*f.client, std::span<rte_mbuf* const>(&m, 1));
  ASSERT_EQ(done.size(), 1u);
  ASSERT_TRUE(request_meta(m).ok());
  EXPECT_GT(m->pkt_len, pt.size());
  ASSERT_TRUE(set_request(m, *h, RecordOpKind::open));
  done = run_requests(*f.client, std::span<rte_mbuf* const>(&m, 1));
  ASSERT_EQ(done.size(), 1u);
  ASSERT_TRUE(request_meta(m).ok()) << record::status_name(request_meta(m).status);
  EXPECT_EQ(mbuf_bytes(m), pt);
  rte_pktmbuf_free(m);
}

INSTANTIATE_TEST_SUITE_P(AllSuites, ChainedMbufTest, ::testing::ValuesIn(suite_cases()),
                         [](const auto& info) { return suite_case_name(info.param); });

TEST(WriteToMbufTest, GrowsAndShrinksChains) {
  rte_mempool* pool = make_pool("write_to_mbuf_pool", 64, RTE_MBUF_DEFAULT_BUF_SIZE);
  ASSERT_NE(pool, nullptr);
  Bytes data(10000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  rte_mbuf* m = make_mbuf(pool, std::span<const uint8_t>(data.data(), 100));
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(write_to_mbuf(m, data.data(), data.size(), pool));
  EXPECT_EQ(m->pkt_len, data.size());
  EXPECT_GE(m->nb_segs, 5);
  EXPECT_EQ(mbuf_bytes(m), data);
  EXPECT_EQ(rte_mbuf_check(m, 1, nullptr), 0);
  ASSERT_TRUE(write_to_mbuf(m, data.data(), 10, pool));
  EXPECT_EQ(m->nb_segs, 1);
  EXPECT_EQ(mbuf_bytes(m), Bytes(data.begin(), data.begin() + 10));
  EXPECT_EQ(rte_mbuf_check(m, 1, nullptr), 0);
  // No pool to grow from: refused, the mbuf is left as it was.
  EXPECT_FALSE(write_to_mbuf(m, data.data(), data.size(), nullptr));
  EXPECT_EQ(mbuf_bytes(m), Bytes(data.begin(), data.begin() + 10));
  rte_pktmbuf_free(m);
  EXPECT_EQ(rte_mempool_avail_count(pool), pool->size);
  free_request_pool(pool);
}

TEST(WriteToMbufTest, ReservesRoomAllOrNothingAndGivesItBack) {
  rte_mempool* pool = make_pool("reserve_room_pool", 4, RTE_MBUF_DEFAULT_BUF_SIZE);
  ASSERT_NE(pool, nullptr);
  const Bytes data(2048, 0x5a);
  rte_mbuf* m = make_mbuf(pool, data);  // one full segment: 3 left in the pool
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(rte_pktmbuf_tailroom(m), 0u);
  const size_t seg_room = rte_pktmbuf_data_room_size(pool);  // appended segments have no headroom
  EXPECT_EQ(reserve_room(m, 2048, pool), 0) << "it has the room";
  EXPECT_EQ(reserve_room(m, 2048 + 3 * seg_room + 1, pool), -1) << "needs 4, the pool has 3";
  EXPECT_EQ(m->nb_segs, 1);
  EXPECT_EQ(rte_mempool_avail_count(pool), 3u) << "all or nothing";
  EXPECT_EQ(reserve_room(m, 2048 + 100, nullptr), -1);
  EXPECT_EQ(reserve_room(m, 2048 + seg_room + 1, pool), 2);
  EXPECT_EQ(m->nb_segs, 3);
  EXPECT_EQ(m->pkt_len, data.size()) << "empty segments hold no data";
  EXPECT_EQ(mbuf_bytes(m), data);
  EXPECT_EQ(rte_mbuf_check(m, 1, nullptr), 0);
  drop_last_segments(m, 2);
  EXPECT_EQ(m->nb_segs, 1);
  EXPECT_EQ(m->next, nullptr);
  EXPECT_EQ(mbuf_bytes(m), data);
  EXPECT_EQ(rte_mempool_avail_count(pool), 3u);
  rte_pktmbuf_free(m);
  free_request_pool(pool);
}

}  // namespace
}  // namespace tlsburst::engine::test
