// Engine building blocks that need no EAL: session handles, the control plane's slot allocator,
// the worker's session table, rings, placement and the statistics helpers.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "engine/core/control_message.hpp"
#include "engine/core/placement.hpp"
#include "engine/core/ring.hpp"
#include "engine/core/session_handle.hpp"
#include "engine/core/session_table.hpp"
#include "engine/core/slot_allocator.hpp"
#include "engine/core/stats.hpp"
#include "engine/record/imb_manager.hpp"
#include "tests/engine/reference_record.hpp"

namespace tlsburst::engine {
namespace {

TEST(SessionHandleTest, PacksCoreSlotAndGeneration) {
  const SessionHandle h = SessionHandle::make(255, 0xabcdef, 0x12345678);
  EXPECT_EQ(h.core(), 255u);
  EXPECT_EQ(h.slot(), 0xabcdefu);
  EXPECT_EQ(h.generation(), 0x12345678u);
  EXPECT_TRUE(h.valid());
  EXPECT_EQ(SessionHandle::from_value(h.value()), h);
  EXPECT_FALSE(SessionHandle().valid());
  EXPECT_FALSE(SessionHandle::make(3, 4, 0).valid());
  EXPECT_EQ(next_generation(0xffffffffu), 1u);
  EXPECT_EQ(next_generation(7), 8u);
}

TEST(SlotAllocatorTest, GenerationsChangeOnReuseAndStaleHandlesAreNotLive) {
  SlotAllocator a(3, 4);
  std::vector<SessionHandle> hs;
  for (int i = 0; i < 4; ++i) {
    auto h = a.allocate();
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->core(), 3u);
    EXPECT_TRUE(a.is_live(*h));
    hs.push_back(*h);
  }
  EXPECT_FALSE(a.allocate().has_value());
  EXPECT_EQ(a.num_live(), 4u);
  ASSERT_TRUE(a.begin_remove(hs[1]));
  EXPECT_FALSE(a.is_live(hs[1]));
  EXPECT_FALSE(a.begin_remove(hs[1]));
  // Not free until released: the removal message must be in the ring first.
  EXPECT_FALSE(a.allocate().has_value());
  a.release(hs[1]);
  auto again = a.allocate();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->slot(), hs[1].slot());
  EXPECT_NE(again->generation(), hs[1].generation());
  EXPECT_FALSE(a.is_live(hs[1]));
  EXPECT_TRUE(a.is_live(*again));
  EXPECT_FALSE(a.is_live(SessionHandle::make(2, again->slot(), again->generation())));  // other core
}

TEST(SlotAllocatorTest, ConcurrentControlThreadsNeverShareASlot) {
  SlotAllocator a(0, 1000);
  std::vector<std::vector<SessionHandle>> got(4);
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        auto h = a.allocate();
        if (!h) continue;
        got[t].push_back(*h);
        if (i % 2 == 0 && a.begin_remove(*h)) {
          a.release(*h);
          got[t].pop_back();
        }
      }
    });
  }
  for (auto& t : ts) t.join();
  std::set<uint32_t> slots;
  size_t n = 0;
  for (auto& v : got) {
    for (SessionHandle h : v) {
      EXPECT_TRUE(slots.insert(h.slot()).second) << "slot " << h.slot() << " live twice";
      EXPECT_TRUE(a.is_live(h));
      ++n;
    }
  }
  EXPECT_EQ(a.num_live(), n);
}

TEST(SessionTableTest, FindsOnlyTheLiveGenerationAndWipesOnRemove) {
  auto t = SessionTable::create(1000);
  ASSERT_TRUE(t.ok()) << t.error().message;
  auto mgr = record::ImbManager::create();
  ASSERT_TRUE(mgr.ok());
  record::DirectionState seal, open;
  ASSERT_TRUE(record::install_keys(seal, test::random_keys(record::Suite::tls13_aes_128_gcm_sha256, 1), *mgr));
  ASSERT_TRUE(record::install_keys(open, test::random_keys(record::Suite::tls12_aes_256_cbc_sha384, 2), *mgr));
  const SessionHandle h = SessionHandle::make(0, 999, 5);
  EXPECT_EQ(t->find(h), nullptr);
  ASSERT_TRUE(t->install(h, seal, open));
  SessionTable::Slot* s = t->find(h);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->seal().suite, record::Suite::tls13_aes_128_gcm_sha256);
  EXPECT_EQ(s->open().suite, record::Suite::tls12_aes_256_cbc_sha384);
  EXPECT_TRUE(s->seal().installed);
  EXPECT_EQ(t->find(SessionHandle::make(0, 999, 6)), nullptr);
  EXPECT_EQ(t->find(SessionHandle::make(0, 1000, 5)), nullptr);
  EXPECT_FALSE(t->install(SessionHandle::make(0, 1000, 5), seal, open));
  EXPECT_EQ(t->num_live(), 1u);
  EXPECT_FALSE(t->remove(SessionHandle::make(0, 999, 4)));
  ASSERT_TRUE(t->remove(h));
  EXPECT_EQ(t->find(h), nullptr);
  EXPECT_EQ(t->num_live(), 0u);
  const SessionTable::Slot& raw = t->slot_at(999);
  for (std::byte b : raw.seal_storage) ASSERT_EQ(b, std::byte{0});
  for (std::byte b : raw.open_storage) ASSERT_EQ(b, std::byte{0});
  EXPECT_EQ(raw.generation, 0u);
}

TEST(SessionTableTest, AMillionSlotsReserveWithoutTouchingMemory) {
  auto t = SessionTable::create(1u << 20);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->reserved_len(), (size_t{1} << 20) * SessionTable::bytes_per_session);
  EXPECT_EQ(t->find(SessionHandle::make(0, (1u << 20) - 1, 1)), nullptr);
  EXPECT_FALSE(SessionTable::create(0).ok());
  EXPECT_FALSE(SessionTable::create(max_slots_per_core + 1).ok());
}

// The consumer's side as a worker does it: peek at up to n entries in place, copy them out, give
// the slots back.
unsigned take(InputConsumer& c, InputEntry* out, unsigned n, unsigned* remaining) {
  InputView view;
  const unsigned got = c.peek(n, view, remaining);
  for (unsigned i = 0; i < got; ++i) out[i] = view[i];
  c.release(got);
  return got;
}

InputEntry numbered_record(uint32_t producer, uint32_t i) {
  InputEntry e;
  e.generation = i;
  e.slot_client = 0x123456u | (producer << 24);
  return e;
}

TEST(RingTest, InputRingHasExactCapacityAndEnqueuesAllOrNothing) {
  auto r = Ring::create("unit_ring", 5, RingProducers::multi, sizeof(InputEntry));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->capacity(), 5u);
  alignas(64) static ControlMessage msg;
  InputEntry in[6];
  for (uint32_t i = 0; i < 5; ++i) in[i] = numbered_record(7, i);
  in[5] = InputEntry::control(&msg);
  unsigned free_space = 99;
  EXPECT_EQ(input_enqueue(r->get(), in, 6, &free_space), 0u) << "six entries do not fit five slots";
  EXPECT_EQ(free_space, 5u) << "a failed enqueue reports the room there was";
  EXPECT_EQ(r->count(), 0u) << "nothing of a failed bulk enqueue may be in the ring";
  EXPECT_EQ(input_enqueue(r->get(), in, 4, &free_space), 4u);
  EXPECT_EQ(free_space, 1u);
  EXPECT_EQ(input_enqueue(r->get(), &in[5], 1), 1u);
  EXPECT_EQ(input_enqueue(r->get(), &in[5], 1), 0u);
  InputEntry out[6];
  unsigned remaining = 99;
  InputConsumer consumer(r->get());
  ASSERT_EQ(take(consumer, out, 2, &remaining), 2u);
  EXPECT_EQ(remaining, 3u);
  ASSERT_EQ(take(consumer, out + 2, 6, &remaining), 3u);
  for (uint32_t i = 0; i < 4; ++i) {
    EXPECT_EQ(out[i].kind(), InputKind::record);
    EXPECT_EQ(out[i].client(), 7u);
    EXPECT_EQ(out[i].slot(), 0x123456u);
    EXPECT_EQ(out[i].session(9), SessionHandle::make(9, 0x123456u, i));
  }
  EXPECT_EQ(out[4].kind(), InputKind::control);
  EXPECT_EQ(out[4].object, &msg);
}

// Each producer's entries come out in its order, its bulk enqueues whole, none lost (with the
// cache-line demotion hint after each enqueue, which must change nothing).
TEST(RingTest, ManyProducersKeepTheirOrderAndTheirBulksWhole) {
  auto r = Ring::create("mpsc_ring", 64, RingProducers::multi, sizeof(InputEntry));
  ASSERT_TRUE(r.ok());
  constexpr uint32_t per_thread = 20000;
  constexpr uint32_t per_bulk = 4;
  std::vector<std::thread> producers;
  for (uint32_t t = 0; t < 3; ++t) {
    producers.emplace_back([&, t] {
      for (uint32_t i = 0; i < per_thread;) {
        InputEntry bulk[per_bulk];
        for (uint32_t k = 0; k < per_bulk; ++k) bulk[k] = numbered_record(t, i + k + 1);
        if (input_enqueue(r->get(), bulk, per_bulk) != 0) {
          input_demote_enqueued(r->get(), per_bulk);  // as Client::submit does: a hint, no change
          i += per_bulk;
        } else {
          std::this_thread::yield();  // full: let the consumer run (2-CPU machines)
        }
      }
    });
  }
  std::vector<uint32_t> next(3, 1);
  uint32_t total = 0;
  InputConsumer consumer(r->get());
  int64_t in_bulk_of = -1;  // producer whose bulk is being read
  InputEntry out[32];
  while (total < 3 * per_thread) {
    const unsigned n = take(consumer, out, 32, nullptr);
    for (unsigned i = 0; i < n; ++i) {
      const uint32_t t = out[i].client();
      ASSERT_LT(t, 3u);
      if (next[t] % per_bulk != 1) {
        ASSERT_EQ(static_cast<int64_t>(t), in_bulk_of) << "a bulk enqueue was interleaved";
      }
      in_bulk_of = t;
      ASSERT_EQ(out[i].generation, next[t]) << "producer " << t << " reordered or lost";
      ++next[t];
      ++total;
    }
    if (n == 0) std::this_thread::yield();
  }
  for (auto& p : producers) p.join();
}

TEST(RingTest, CompletionRingCarriesWholeEntriesInOrderAcrossTheWrap) {
  // A 5-entry ring filled in runs of 3 and drained in 2s: positions wrap around its end.
  auto r = Ring::create("cq_ring", 5, RingProducers::single, sizeof(CompletionEntry));
  ASSERT_TRUE(r.ok());
  uint64_t next_in = 0, next_out = 0;
  std::vector<uint64_t> enqueued_in_round;
  uint32_t head = producer_head(r->get());
  for (int round = 0; round < 20; ++round) {
    CompletionEntry in[3];
    const unsigned n = static_cast<unsigned>(std::min<uint64_t>(3, 5 - (next_in - next_out)));
    for (unsigned i = 0; i < n; ++i) {
      in[i] = CompletionEntry{};
      in[i].seq = 1000 + next_in + i;
      in[i].length = static_cast<uint16_t>(next_in + i);
      in[i].data_shift = -5;
      in[i].status = record::RecordStatus::bad_record_mac;
    }
    completion_enqueue_credited(r->get(), head, in, n, 7000 + round);
    EXPECT_EQ(head, next_in + n);
    enqueued_in_round.insert(enqueued_in_round.end(), n, static_cast<uint64_t>(round));
    next_in += n;
    EXPECT_EQ(r->count(), next_in - next_out);
    CompletionEntry out[2];
    const unsigned got = completion_dequeue(r->get(), out, 2);
    ASSERT_EQ(got, std::min<uint64_t>(2, next_in - next_out));
    for (unsigned i = 0; i < got; ++i, ++next_out) {
      EXPECT_EQ(out[i].seq, 1000 + next_out);
      EXPECT_EQ(out[i].length, static_cast<uint16_t>(next_out));
      EXPECT_EQ(out[i].data_shift, -5);
      EXPECT_EQ(out[i].status, record::RecordStatus::bad_record_mac);
      EXPECT_EQ(out[i].done_tsc, 7000 + enqueued_in_round[next_out]);  // the enqueue's, not the entry's
    }
  }
  EXPECT_GT(next_out, 20u);
  EXPECT_FALSE(Ring::create("bad_elem", 4, RingProducers::single, 6).ok());
}

TEST(PlacementTest, WorkersOnDistinctPhysicalCores) {
  auto p = choose_placement(0);
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_FALSE(p->workers.empty());
  std::set<int> cores, cpus;
  for (const CpuPlace& w : p->workers) {
    EXPECT_GE(w.cpu, 0);
    EXPECT_TRUE(cores.insert(w.core).second) << "two workers on physical core " << w.core;
    cpus.insert(w.cpu);
  }
  EXPECT_FALSE(p->main_cpus.empty());
  const std::string arg = p->lcores_arg();
  EXPECT_EQ(arg.rfind("0@(", 0), 0u) << arg;
  std::printf("%s--lcores=%s\n", p->describe().c_str(), arg.c_str());

  // More workers than physical cores: still placed, with a warning.
  auto over = choose_placement(static_cast<uint32_t>(p->workers.size()) + 1);
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(over->workers.size(), p->workers.size() + 1);
  EXPECT_FALSE(over->warnings.empty());

  // An explicit list that puts two workers on one CPU is reported.
  const int same[] = {p->workers[0].cpu, p->workers[0].cpu};
  auto d = describe_placement(same);
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->warnings.empty());
  // An unknown device is reported, not fatal.
  auto dev = choose_placement(1, "0000:ff:1f.7");
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(dev->device_numa_node, -1);
  EXPECT_FALSE(dev->warnings.empty());
}

TEST(StatsTest, BurstBucketsAndSums) {
  EXPECT_EQ(burst_bucket(1), 0u);
  EXPECT_EQ(burst_bucket(2), 1u);
  EXPECT_EQ(burst_bucket(3), 1u);
  EXPECT_EQ(burst_bucket(4), 2u);
  EXPECT_EQ(burst_bucket(64), 6u);
  EXPECT_EQ(burst_bucket(127), 6u);
  EXPECT_EQ(burst_bucket(128), 7u);
  EXPECT_EQ(burst_bucket(100000), num_burst_buckets - 1);
  WorkerStats w;
  w.records_sealed.add(3);
  w.records_sealed.add(4);
  w.ring_depth_max.max(5);
  w.ring_depth_max.max(2);
  w.rejects[1].add(2);
  const StatsSnapshot s = w.snapshot();
  EXPECT_EQ(s.records_sealed, 7u);
  EXPECT_EQ(s.ring_depth_max, 5u);
  EXPECT_EQ(s.errors(), 2u);
  StatsSnapshot sum = s;
  sum += s;
  EXPECT_EQ(sum.records_sealed, 14u);
  EXPECT_EQ(sum.ring_depth_max, 5u);
  EXPECT_NE(format_stats(sum, 0).find("stale_session=4"), std::string::npos);
}

}  // namespace
}  // namespace tlsburst::engine
