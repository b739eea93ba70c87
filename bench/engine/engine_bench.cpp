// tlsburst-engine-bench: records/s through the engine's rings against calling the record layer
// directly, in one run; key installation rate; install-to-first-record latency.
//
//   tlsburst-engine-bench [EAL args] -- [--seconds S] [--sizes 64,1024,16384] [--suite NAME]
//                                       [--inflight N] [--sessions N] [--submitter idle|normal]
//                                       [--installs N] [--latency-samples N] [--rounds N]
//                                       [--segment LEN] [--busy-cpu] [--only WHAT]
//
// Without EAL args it runs with --no-huge --no-pci and places the workers with hwloc (two on a
// two-core machine). Each measurement seals and opens alternately in place (a loopback session:
// both directions with the same keys), so every completion is one record processed.
//
// Figures:
//   direct      RecordProcessor::process() on the main thread, in the engine's bursts (128), same record sizes,
//               same number of sessions per core, cycling through as many records as the engine
//               run has in flight per worker (the same working set, in the same order), on the CPU
//               the 1-worker run's worker uses.
//   engine      records/s through Client -> input ring -> worker -> completion ring, with 1 and 2
//               workers; "per busy core" divides by the workers' busy TSC cycles (polls that found
//               work), which is what the 2-core machine can compare when the submitting thread
//               shares the CPUs with two workers. (--busy-cpu: thread CPU time read around
//               each burst instead, two system calls per burst.)
//   ratios      engine per busy core / direct (targets 0.85 at 64 B and 1 KB, 0.97 at 16 KB) and
//               2-worker / 1-worker per busy core (target 0.9).
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "engine/core/client.hpp"
#include "engine/core/control_plane.hpp"
#include "engine/core/eal.hpp"
#include "engine/core/engine.hpp"
#include "engine/core/request.hpp"
#include "engine/record/record_processor.hpp"

using namespace tlsburst;
using namespace tlsburst::engine;
using record::RecordOpKind;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  double seconds = 2.0;
  std::vector<uint32_t> sizes = {64, 1024, 16384};
  record::Suite suite = record::Suite::tls13_aes_128_gcm_sha256;
  uint32_t inflight = 512;       // per worker
  uint32_t sessions = 16;        // per worker
  bool submitter_idle = true;    // SCHED_IDLE submitter when it shares CPUs with the workers
  uint32_t installs = 200000;
  uint32_t latency_samples = 5000;
  std::string only;              // profiling: "direct", "manual", "1w" or "2w" alone
  bool busy_cpu = false;         // per-core figure from thread CPU time read around each burst
  uint32_t rounds = 3;
  uint32_t segment_len = 0;      // records as chained mbufs of segments this long (0: one segment)
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Records in flight per worker at `size`: enough to keep it busy, but large records limited so
// that the working set stays near one a cache-friendly application would have.
uint32_t inflight_for(const Options& o, uint32_t size) {
  return size >= 4096 ? std::min<uint32_t>(o.inflight, 128) : o.inflight;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "tlsburst-engine-bench: %s\n", what.c_str());
  std::exit(1);
}

record::DirectionKeys bench_keys(record::Suite s, uint32_t n) {
  const auto& info = record::suite_info(s);
  std::vector<uint8_t> key(info.key_len), iv(info.fixed_iv_len), mac(info.mac_key_len);
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(n * 31 + i);
  for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<uint8_t>(n * 17 + i);
  for (size_t i = 0; i < mac.size(); ++i) mac[i] = static_cast<uint8_t>(n * 7 + i);
  return record::DirectionKeys::make(s, key, iv, mac, 0);
}

void pin_to_cpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

void unpin() {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c = 0; c < static_cast<int>(std::thread::hardware_concurrency()); ++c) CPU_SET(c, &set);
  sched_setaffinity(0, sizeof set, &set);
}

void set_idle_priority(bool idle) {
  sched_param p{};
  sched_setscheduler(0, idle ? SCHED_IDLE : SCHED_OTHER, &p);
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// --- direct ------------------------------------------------------------------------------------

struct DirectResult {
  double records_per_s = 0;  // wall clock
  double per_cpu_s = 0;      // per second of this thread's CPU time
  double cpu_share = 0;      // CPU time / wall time: below 1 when other programs load the machine
};

// The data room of the request mbufs at `size` (both runs use it): the record and its header and
// tail room after the standard headroom, or one segment of a chained record.
uint16_t request_room(const Options& o, uint32_t size, uint32_t seg_len) {
  if (seg_len != 0) return static_cast<uint16_t>(RTE_PKTMBUF_HEADROOM + seg_len);
  return static_cast<uint16_t>(RTE_PKTMBUF_HEADROOM + record::header_room(o.suite) + size +
                               record::tail_room(o.suite) + 64);
}

int pool_serial = 0;

// The records of one size, made once and used by every run of that size -- direct, 1 and 2
// workers, every round -- so that each run works on the same buffers, hence the same physical
// pages and cache sets. A working set near the size of the L2 cache otherwise measures where a
// pool's pages happened to land: 16 KB records (2 MB in flight) sealed directly varied by 4%
// from one process to the next. Each worker's records are one block of the set (worker c's are
// c * inflight ...), as a per-core pool would give; the direct run and a 1-worker run use the
// first block.
struct RecordSet {
  rte_mempool* pool = nullptr;
  std::vector<rte_mbuf*> mbufs;
  uint32_t size = 0;
};

RecordSet make_record_set(const Options& o, uint32_t size, uint32_t num) {
  RecordSet set;
  set.size = size;
  set.pool = create_request_pool(("bench_records_" + std::to_string(pool_serial++)).c_str(), num + 64, 0,
                                 request_room(o, size, 0));
  if (set.pool == nullptr) die("cannot create the records' pool (raise -m)");
  set.mbufs.resize(num);
  for (rte_mbuf*& m : set.mbufs) {
    m = rte_pktmbuf_alloc(set.pool);
    if (m == nullptr) die("record set: mbuf alloc");
  }
  return set;
}

void free_record_set(RecordSet& set) {
  for (rte_mbuf* m : set.mbufs) rte_pktmbuf_free(m);
  set.mbufs.clear();
  free_request_pool(set.pool);
  set.pool = nullptr;
}

// Makes the first n records of the set hold set.size bytes of plaintext each (record i: bytes i),
// after the usual headroom, as a fresh request would; returns them.
std::span<rte_mbuf* const> fresh_records(RecordSet& set, uint32_t n) {
  if (n > set.mbufs.size()) die("record set too small");
  for (uint32_t i = 0; i < n; ++i) {
    rte_mbuf* m = set.mbufs[i];
    rte_pktmbuf_reset(m);
    if (rte_pktmbuf_append(m, static_cast<uint16_t>(set.size)) == nullptr) die("record set: room");
    std::memset(rte_pktmbuf_mtod(m, void*), static_cast<int>(i), set.size);
  }
  return std::span<rte_mbuf* const>(set.mbufs.data(), n);
}

// `num_buffers` records (a multiple of the burst) are cycled through, one burst after the other, so
// that the working set is the engine run's (its records in flight), not just one burst's; record
// i belongs to session i % sessions, as in the engine run. The records lie where the engine run's
// lie: in the buffers of a request pool made the same way, at the same offset, so that both touch
// the same cache lines per record. And they are processed in the engine run's order: a record is
// sealed, then opened when all the other records in flight have had their turn, then sealed
// again, its op kept from one use to the next as the client keeps its mbuf. (Opening each burst
// right after sealing it, with its lines still in the L1 cache, measured the same.)
DirectResult run_direct(const Options& o, RecordSet& set, uint32_t num_buffers) {
  const uint32_t size = set.size;
  auto rp = record::RecordProcessor::create();
  if (!rp) die(rp.error().message);
  const uint32_t num_states = o.sessions;
  std::vector<std::unique_ptr<record::DirectionState>> seal(num_states), open(num_states);
  for (uint32_t i = 0; i < num_states; ++i) {
    seal[i] = std::make_unique<record::DirectionState>();
    open[i] = std::make_unique<record::DirectionState>();
    const auto k = bench_keys(o.suite, i);
    if (!rp->install(*seal[i], k) || !rp->install(*open[i], k)) die("direct: install failed");
  }
  // The engine's bursts: a worker hands the record layer up to a dequeue burst at once (64-record
  // calls measured about 2% slower per record at 64 B).
  const uint32_t burst = std::min<uint32_t>(EngineConfig{}.dequeue_burst, num_buffers);
  const uint32_t num_bursts = num_buffers / burst;
  const uint32_t hr = static_cast<uint32_t>(record::header_room(o.suite));
  const uint32_t cap = static_cast<uint32_t>(hr + size + record::tail_room(o.suite));
  const auto mbufs = fresh_records(set, burst * num_bursts);
  std::vector<uint8_t*> records(mbufs.size());
  for (size_t i = 0; i < mbufs.size(); ++i) records[i] = rte_pktmbuf_mtod(mbufs[i], uint8_t*) - hr;
  // One op per record, kept from one use to the next as the engine run's client keeps its mbufs:
  // a seal's output (the record) is the next open's input, an open's output the next seal's.
  std::vector<record::RecordOp> ops(mbufs.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    ops[i].state = seal[i % num_states].get();
    ops[i].data = records[i];
    ops[i].capacity = cap;
    ops[i].length = size;
    ops[i].kind = RecordOpKind::seal;
  }
  auto flip = [&](record::RecordOp& op, size_t i) {
    const bool was_seal = op.kind == RecordOpKind::seal;
    op.kind = was_seal ? RecordOpKind::open : RecordOpKind::seal;
    op.state = was_seal ? open[i % num_states].get() : seal[i % num_states].get();
    op.status = record::RecordStatus::not_processed;
  };
  uint32_t next_burst = 0;
  uint64_t num = 0;
  const double cpu0 = thread_cpu_seconds();
  const auto t0 = Clock::now();
  const auto end = t0 + std::chrono::duration<double>(o.seconds);
  while (Clock::now() < end) {
    for (int round = 0; round < 16; ++round) {
      const uint32_t first = next_burst * burst;
      next_burst = (next_burst + 1) % num_bursts;
      const std::span<record::RecordOp> b(ops.data() + first, burst);
      if (rp->process(b) != burst) die("direct: process failed");
      for (uint32_t i = 0; i < burst; ++i) flip(b[i], first + i);
      num += burst;
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const double cpu = thread_cpu_seconds() - cpu0;
  DirectResult r;
  r.records_per_s = static_cast<double>(num) / secs;
  r.per_cpu_s = static_cast<double>(num) / cpu;
  r.cpu_share = cpu / secs;
  return r;
}

// --- through the engine --------------------------------------------------------------------------

struct EngineResult {
  double records_per_s = 0;          // wall clock
  double per_busy_core = 0;          // records per busy worker-core-second
  double busy_fraction = 0;          // busy cycles / (elapsed cycles * workers)
  double per_cpu_s = 0;              // records per second of the workers' thread CPU time
  double per_busy_cpu_s = 0;         // records per second of CPU time inside non-empty bursts
  double per_core = 0;
  double mean_burst = 0;             // records per non-empty dequeue               // the per-core figure: per_busy_core, or with --busy-cpu per_busy_cpu_s
  double cpu_share = 0;              // workers' CPU time / (wall time * workers)
  double record_ns = 0;              // busy time per record in the record layer
  double around_ns = 0;              // busy time per record outside it: the engine's own work
  uint64_t errors = 0;
};

std::unique_ptr<Engine> start_engine(const std::vector<unsigned>& lcores, const Options& o, IdleBackoffConfig idle = {},
                                     bool measure_busy_cpu = false) {
  EngineConfig c;
  c.measure_busy_cpu = measure_busy_cpu;
  c.lcores = lcores;
  if (lcores.empty()) c.launch = WorkerLaunch::manual;  // polled by the calling thread
  c.sessions_per_core = 1u << 16;
  c.input_ring_len = 8192;
  c.idle = idle;
  c.telemetry = false;
  (void)o;
  auto e = Engine::start(c);
  if (!e) die(e.error().message);
  return std::move(e.value());
}

// Contiguous records come from `set`; chained ones (--segment) are made in a pool of their own.
EngineResult run_engine(const Options& o, const std::vector<unsigned>& lcores, uint32_t size, RecordSet& set) {
  // Nap soon when the ring runs dry, so that idle polling adds little to the workers' CPU time.
  IdleBackoffConfig idle;
  idle.num_spin_polls = 64;
  idle.num_pause_polls = 0;
  auto engine = start_engine(lcores, o, idle, o.busy_cpu);
  auto cp = ControlPlane::create(*engine);
  if (!cp) die(cp.error().message);
  const uint32_t num_cores = engine->num_cores();
  std::vector<std::vector<SessionHandle>> sessions(num_cores);
  for (uint32_t c = 0; c < num_cores; ++c) {
    for (uint32_t i = 0; i < o.sessions; ++i) {
      const auto k = bench_keys(o.suite, c * 1000 + i);
      auto h = cp.value()->create_session(SessionKeys{k, k}, c);
      if (!h) die(h.error().message);
      sessions[c].push_back(*h);
    }
    if (!cp.value()->barrier(c)) die("barrier failed");
  }
  const uint32_t inflight = inflight_for(o, size);
  auto client = Client::create(*engine, ClientConfig{inflight});
  if (!client) die(client.error().message);
  // --segment: records as chains of segments of that many bytes (as NIC receive makes them).
  const uint32_t seg_len = o.segment_len != 0 && o.segment_len < size ? o.segment_len : 0;
  const uint32_t segs_per_record = seg_len == 0 ? 1 : (size + seg_len - 1) / seg_len + 1;  // +1: growth
  const uint16_t room = request_room(o, size, seg_len);
  const uint32_t num_mbufs = inflight * num_cores;
  rte_mempool* pool = nullptr;
  std::vector<rte_mbuf*> all(num_mbufs);
  if (seg_len == 0) {
    const auto records = fresh_records(set, num_mbufs);
    std::copy(records.begin(), records.end(), all.begin());
  } else {
    pool = create_request_pool(("bench_pool_" + std::to_string(pool_serial++)).c_str(),
                               num_mbufs * segs_per_record + 64, 0, room);
    if (pool == nullptr) die("cannot create the mbuf pool (raise -m)");
    for (uint32_t i = 0; i < num_mbufs; ++i) {
      rte_mbuf* m = rte_pktmbuf_alloc(pool);
      if (m == nullptr) die("mbuf alloc");
      for (uint32_t done = 0; done < size;) {
        const uint32_t len = std::min(seg_len, size - done);
        rte_mbuf* seg = done == 0 ? m : rte_pktmbuf_alloc(pool);
        if (seg == nullptr || rte_pktmbuf_append(seg, static_cast<uint16_t>(len)) == nullptr) die("mbuf alloc");
        std::memset(rte_pktmbuf_mtod(seg, void*), static_cast<int>(i), len);
        if (seg != m && rte_pktmbuf_chain(m, seg) != 0) die("mbuf chain");
        done += len;
      }
      all[i] = m;
    }
  }
  for (uint32_t i = 0; i < num_mbufs; ++i) {
    rte_mbuf* m = all[i];
    // Each worker's records in one block of memory, as a per-core pool would give (interleaved
    // records would put two workers' lines next to each other, where each one's prefetchers take
    // the other's).
    const uint32_t c = i / inflight;
    set_request(m, sessions[c][(i % inflight) % o.sessions], RecordOpKind::seal);
  }

  // Submitter placement: one worker -> the submitter on a CPU of its own; two workers on two CPUs
  // -> the submitter shares them, at idle priority so that it runs when a worker naps rather than
  // preempting a busy one (whose busy cycles would then include the submitter's time).
  const bool manual = lcores.empty();
  const bool shares = !manual && num_cores >= std::thread::hardware_concurrency();
  if (manual) {
    pin_to_cpu(0);
  } else if (!shares) {
    int worker_cpu = engine->core_info(0).cpu;
    pin_to_cpu(worker_cpu == 0 ? 1 : 0);
  } else if (o.submitter_idle) {
    set_idle_priority(true);
  }

  std::vector<rte_mbuf*> pending(all.begin(), all.end());
  std::vector<rte_mbuf*> out(512);
  uint64_t errors = 0;
  auto cycle = [&](bool resubmit) -> uint32_t {
    if (!pending.empty()) {
      const uint32_t n = client.value()->submit(pending);
      pending.erase(pending.begin(), pending.begin() + n);
    }
    if (manual) {
      while (engine->poll(0) != 0) {
      }
    }
    const uint32_t got = client.value()->poll(out);
    for (uint32_t i = 0; i < got; ++i) {
      rte_mbuf* m = out[i];
      RequestMeta& meta = request_meta(m);
      if (!meta.ok()) ++errors;
      if (resubmit) {
        const RecordOpKind next = meta.kind == RecordOpKind::seal ? RecordOpKind::open : RecordOpKind::seal;
        set_request(m, meta.session, next);
        pending.push_back(m);
      }
    }
    return got;
  };
  // Warm-up, then the measured interval.
  const auto warm_end = Clock::now() + std::chrono::milliseconds(200);
  while (Clock::now() < warm_end) cycle(true);
  std::vector<StatsSnapshot> s0(num_cores), s1(num_cores);
  for (uint32_t c = 0; c < num_cores; ++c) s0[c] = engine->stats(c);
  const uint64_t tsc0 = rte_rdtsc();
  const double self_cpu0 = thread_cpu_seconds();
  const auto t0 = Clock::now();
  const auto end = t0 + std::chrono::duration<double>(o.seconds);
  while (Clock::now() < end) {
    if (cycle(true) == 0 && shares) sched_yield();
  }
  for (uint32_t c = 0; c < num_cores; ++c) s1[c] = engine->stats(c);
  const uint64_t tsc1 = rte_rdtsc();  // (cpu_ns is sampled each millisecond: +-1 ms per window)
  const double self_cpu = thread_cpu_seconds() - self_cpu0;
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  while (client.value()->in_flight() != 0 || !pending.empty()) {
    if (cycle(false) == 0) sched_yield();
    pending.clear();
  }
  set_idle_priority(false);
  unpin();

  uint64_t records = 0, busy = 0, cpu_ns = 0, busy_cpu_ns = 0, bursts = 0, in_record = 0;
  for (uint32_t c = 0; c < num_cores; ++c) {
    records += s1[c].records() - s0[c].records();
    bursts += s1[c].bursts - s0[c].bursts;
    busy += s1[c].busy_cycles - s0[c].busy_cycles;
    in_record += s1[c].record_cycles - s0[c].record_cycles;
    cpu_ns += s1[c].cpu_ns - s0[c].cpu_ns;
    busy_cpu_ns += s1[c].busy_cpu_ns - s0[c].busy_cpu_ns;
  }
  EngineResult r;
  r.records_per_s = static_cast<double>(records) / secs;
  r.per_busy_core = busy == 0 ? 0 : static_cast<double>(records) / (static_cast<double>(busy) / static_cast<double>(Engine::tsc_hz()));
  r.busy_fraction = static_cast<double>(busy) / (static_cast<double>(tsc1 - tsc0) * num_cores);
  if (manual) cpu_ns = static_cast<uint64_t>(self_cpu * 1e9);  // worker and client on this thread
  r.per_cpu_s = cpu_ns == 0 ? 0 : static_cast<double>(records) / (static_cast<double>(cpu_ns) / 1e9);
  r.cpu_share = static_cast<double>(cpu_ns) / 1e9 / (secs * num_cores);
  r.per_busy_cpu_s = busy_cpu_ns == 0 ? 0 : static_cast<double>(records) / (static_cast<double>(busy_cpu_ns) / 1e9);
  r.per_core = o.busy_cpu ? r.per_busy_cpu_s : r.per_busy_core;
  r.mean_burst = bursts == 0 ? 0 : static_cast<double>(records) / static_cast<double>(bursts);
  if (records != 0) {
    const double ns_per_cycle = 1e9 / static_cast<double>(Engine::tsc_hz());
    r.record_ns = static_cast<double>(in_record) * ns_per_cycle / static_cast<double>(records);
    r.around_ns = static_cast<double>(busy - std::min(busy, in_record)) * ns_per_cycle / static_cast<double>(records);
  }
  r.errors = errors;
  client.value().reset();
  cp.value().reset();
  engine->stop();
  engine.reset();
  if (pool != nullptr) {
    for (rte_mbuf* m : all) rte_pktmbuf_free(m);
    free_request_pool(pool);
  }
  return r;
}

// --- key installation ----------------------------------------------------------------------------

void run_installs(const Options& o, const std::vector<unsigned>& lcores) {
  auto engine = start_engine(lcores, o);
  ControlPlaneConfig cc;
  cc.messages_per_core = 4096;
  auto cp = ControlPlane::create(*engine, cc);
  if (!cp) die(cp.error().message);
  const uint32_t num_cores = engine->num_cores();
  std::vector<SessionHandle> hs;
  const uint32_t num_sessions = 1024;
  auto t0 = Clock::now();
  for (uint32_t i = 0; i < num_sessions; ++i) {
    auto h = cp.value()->create_session(SessionKeys{bench_keys(o.suite, i), bench_keys(o.suite, i + 1)});
    if (!h) die(h.error().message);
    hs.push_back(*h);
  }
  for (uint32_t c = 0; c < num_cores; ++c) (void)cp.value()->barrier(c);
  // Pre-expanded raw keys: the figure is the engine's install path (expansion on the control
  // plane, message, copy into the table on the worker), not key generation.
  std::vector<record::DirectionKeys> keys;
  for (uint32_t i = 0; i < 256; ++i) keys.push_back(bench_keys(o.suite, 5000 + i));
  t0 = Clock::now();
  for (uint32_t i = 0; i < o.installs; ++i) {
    if (Status s = cp.value()->rekey(hs[i % num_sessions], i % 2 ? Direction::seal : Direction::open, keys[i % 256]); !s) {
      die(s.error().message);
    }
  }
  for (uint32_t c = 0; c < num_cores; ++c) (void)cp.value()->barrier(c);
  const double rekey_secs = std::chrono::duration<double>(Clock::now() - t0).count();

  // Session churn: create + remove (two directions installed per create).
  const uint32_t churn = o.installs / 4;
  t0 = Clock::now();
  for (uint32_t i = 0; i < churn; ++i) {
    auto h = cp.value()->create_session(SessionKeys{keys[i % 256], keys[(i + 1) % 256]});
    if (!h) die(h.error().message);
    if (!cp.value()->remove(*h)) die("remove failed");
  }
  for (uint32_t c = 0; c < num_cores; ++c) (void)cp.value()->barrier(c);
  const double churn_secs = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("key installs (%s, %u workers, one control thread):\n", std::string(record::suite_name(o.suite)).c_str(),
              num_cores);
  std::printf("  rekey (one direction)      %10.0f installs/s   (target >= 1000000)  %s\n",
              o.installs / rekey_secs, o.installs / rekey_secs >= 1e6 ? "PASS" : "FAIL");
  std::printf("  create+remove session      %10.0f sessions/s  (%0.f direction installs/s)\n", churn / churn_secs,
              2 * churn / churn_secs);

  cp.value().reset();
  engine->stop();
}

// Install call -> first record processed with the new key: rekey, then submit one record for the
// session right away; the worker's done_tsc of that record minus the TSC before the call.
void run_install_latency(const Options& o, unsigned lcore, bool busy_poll) {
  IdleBackoffConfig idle;
  if (busy_poll) idle.num_spin_polls = UINT32_MAX;
  auto engine = start_engine({lcore}, o, idle);
  auto cp = ControlPlane::create(*engine);
  auto client = Client::create(*engine, ClientConfig{64});
  rte_mempool* pool = create_request_pool(busy_poll ? "bench_lat_busy" : "bench_lat_idle", 256, 0, 2048);
  if (!cp || !client || pool == nullptr) die("latency set-up");
  std::vector<record::DirectionKeys> keys;
  for (uint32_t i = 0; i < 256; ++i) keys.push_back(bench_keys(o.suite, 7000 + i));
  auto h = cp.value()->create_session(SessionKeys{keys[0], keys[1]}, 0);
  if (!h) die(h.error().message);
  // The calling thread spins for the completion: keep it off the worker's CPU.
  pin_to_cpu(engine->core_info(0).cpu == 0 ? 1 : 0);
  std::vector<double> us;
  const double tsc_per_us = static_cast<double>(Engine::tsc_hz()) / 1e6;
  for (uint32_t i = 0; i < o.latency_samples; ++i) {
    rte_mbuf* m = rte_pktmbuf_alloc(pool);
    if (m == nullptr || rte_pktmbuf_append(m, 64) == nullptr) die("mbuf");
    set_request(m, *h, RecordOpKind::seal);
    const uint64_t t = rte_rdtsc();
    if (!cp.value()->rekey(*h, Direction::seal, keys[i % 256])) die("rekey");
    while (client.value()->submit(std::span<rte_mbuf* const>(&m, 1)) != 1) {
    }
    rte_mbuf* done = nullptr;
    while (client.value()->poll(std::span<rte_mbuf*>(&done, 1)) == 0) {
    }
    // seq 0: the first record of the new key.
    if (!request_meta(done).ok() || request_meta(done).seq != 0) die("first record not under the new key");
    us.push_back(static_cast<double>(request_meta(done).done_tsc - t) / tsc_per_us);
    rte_pktmbuf_free(done);
    if (!busy_poll) std::this_thread::sleep_for(std::chrono::microseconds(2000));  // let it nap
  }
  unpin();
  std::sort(us.begin(), us.end());
  std::printf("  install -> first record with the new key, %-46s p50 %7.1f us, p99 %7.1f us\n",
              busy_poll ? "busy-polling worker:" : "idle worker (default back-off, incl. wake-up):",
              us[us.size() / 2], us[us.size() * 99 / 100]);
  client.value().reset();
  cp.value().reset();
  engine->stop();
  free_request_pool(pool);
}

Options parse(const std::vector<std::string>& args) {
  Options o;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) die("missing value for " + a);
      return args[++i];
    };
    if (a == "--seconds") {
      o.seconds = std::atof(value().c_str());
    } else if (a == "--sizes") {
      o.sizes.clear();
      std::string v = value();
      for (size_t p = 0; p < v.size();) {
        const size_t q = v.find(',', p);
        o.sizes.push_back(static_cast<uint32_t>(std::stoul(v.substr(p, q - p))));
        p = q == std::string::npos ? v.size() : q + 1;
      }
    } else if (a == "--suite") {
      auto s = record::suite_from_name(value());
      if (!s) die("unknown suite");
      o.suite = *s;
    } else if (a == "--inflight") {
      o.inflight = static_cast<uint32_t>(std::stoul(value()));
    } else if (a == "--sessions") {
      o.sessions = static_cast<uint32_t>(std::stoul(value()));
    } else if (a == "--submitter") {
      o.submitter_idle = value() == "idle";
    } else if (a == "--installs") {
      o.installs = static_cast<uint32_t>(std::stoul(value()));
    } else if (a == "--latency-samples") {
      o.latency_samples = static_cast<uint32_t>(std::stoul(value()));
    } else if (a == "--segment") {
      o.segment_len = static_cast<uint32_t>(std::stoul(value()));
    } else if (a == "--rounds") {
      o.rounds = std::max<uint32_t>(1, static_cast<uint32_t>(std::stoul(value())));
    } else if (a == "--busy-cpu") {
      o.busy_cpu = true;
    } else if (a == "--only") {
      o.only = value();
    } else if (a == "--quick") {
      o.seconds = 0.5;
      o.rounds = 1;
      o.installs = 50000;
      o.latency_samples = 1000;
    } else {
      die("unknown option " + a);
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  if (argc == 1 || std::string(argv[1]) == "--") {
    // Default EAL arguments.
    std::vector<std::string> eal = {args[0], "--no-huge", "--no-pci", "-m", "1024", "--log-level=lib.eal:error",
                                    "--file-prefix=tlsburst_engine_bench_" + std::to_string(getpid())};
    eal.insert(eal.end(), args.begin() + (argc == 1 ? 1 : 1), args.end());
    args = eal;
  }
  EalOptions eo;
  eo.num_workers = 2;
  auto setup = eal_init(args, eo);
  if (!setup) die(setup.error().message);
  const Options o = parse(setup->app_args);
  const std::vector<unsigned>& lcores = setup->worker_lcores;
  if (lcores.empty()) die("need at least one worker lcore");

  std::printf("suite %s, %u sessions and %u records in flight per worker, %.1f s per point, TSC %.2f GHz\n",
              std::string(record::suite_name(o.suite)).c_str(), o.sessions, o.inflight, o.seconds,
              static_cast<double>(Engine::tsc_hz()) / 1e9);
  if (o.only == "installs") {
    run_installs(o, lcores);
    run_install_latency(o, lcores.back(), true);
    run_install_latency(o, lcores.back(), false);
    eal_cleanup();
    return 0;
  }
  std::printf("records/s. direct: per CPU-second of the calling thread, over as many records as the engine\n"
              "has in flight per worker. engine: 'wall' through the rings; '/busy' per busy worker-core-second\n"
              "(%s: the per-core figure); 'cpu%%' the workers' CPU\n"
              "share of wall time (below 100%%: naps or preemption).\n",
              o.busy_cpu ? "thread CPU time inside non-empty bursts" : "TSC cycles of polls that found work");
  std::printf("medians of %u rounds\n", o.rounds);
  std::printf("%-6s %11s | %11s %11s %5s | %11s %11s %5s | %7s %7s %7s\n", "size", "direct", "1w wall", "1w /busy",
              "cpu%", "2w wall", "2w /busy", "cpu%", "1w/dir", "2w/dir", "2w/1w");
  bool pass = true;
  for (uint32_t size : o.sizes) {
    // The worker lcore of a 1-worker run: the last one (not on CPU 0, where the submitter goes).
    // The direct run uses the same CPU: per-core figures are compared on one core (two vCPUs of a
    // VM need not be equally fast: here one ran the record layer about 5% slower than the other).
    const unsigned one = lcores.back();
    const int one_cpu = static_cast<int>(rte_lcore_to_cpu_id(one));
    const uint32_t inflight = inflight_for(o, size);
    RecordSet set = make_record_set(o, size, inflight * static_cast<uint32_t>(lcores.size()));
    if (!o.only.empty()) {
      // Profiling one configuration (e.g. under perf): no comparison.
      if (o.only == "direct") {
        pin_to_cpu(one_cpu);
        std::printf("%u: direct %.0f records/cpu-s\n", size, run_direct(o, set, inflight).per_cpu_s);
        unpin();
      } else {
        std::vector<unsigned> which;
        if (o.only == "1w") which = {one};
        if (o.only == "2w") which = lcores;
        const EngineResult r = run_engine(o, which, size, set);
        std::printf("%u: %s %.0f records/s wall, %.0f per busy core-s, %.0f records/cpu-s, %.1f records/burst, "
                    "%.2f ns/record in the record layer + %.2f around it\n",
                    size, o.only.c_str(), r.records_per_s, r.per_core, r.per_cpu_s, r.mean_burst, r.record_ns,
                    r.around_ns);
      }
      free_record_set(set);
      continue;
    }
    // Rounds of direct, 1 worker, 2 workers back to back; medians of the figures and of the
    // per-round ratios (the machine's speed drifts between rounds more than within one).
    std::vector<double> d, w1, w2, q1, q2, sc, walls1, walls2, cpu1, cpu2, rec1, around1, direct_ns;
    uint64_t errors = 0;
    for (uint32_t round = 0; round < o.rounds; ++round) {
      pin_to_cpu(one_cpu);
      const DirectResult direct = run_direct(o, set, inflight);
      unpin();
      const EngineResult r1 = run_engine(o, {one}, size, set);
      EngineResult r2;
      if (lcores.size() >= 2) r2 = run_engine(o, lcores, size, set);
      d.push_back(direct.per_cpu_s);
      w1.push_back(r1.per_core);
      w2.push_back(r2.per_core);
      walls1.push_back(r1.records_per_s);
      walls2.push_back(r2.records_per_s);
      cpu1.push_back(r1.cpu_share);
      cpu2.push_back(r2.cpu_share);
      q1.push_back(r1.per_core / direct.per_cpu_s);
      q2.push_back(r2.per_core / direct.per_cpu_s);
      sc.push_back(lcores.size() >= 2 ? r2.per_core / r1.per_core : 0);
      rec1.push_back(r1.record_ns);
      around1.push_back(r1.around_ns);
      direct_ns.push_back(1e9 / direct.per_cpu_s);
      errors += r1.errors + r2.errors;
    }
    const EngineResult r0 = run_engine(o, {}, size, set);
    pin_to_cpu(0);  // where that run's thread was
    const DirectResult direct0 = run_direct(o, set, inflight);
    unpin();
    free_record_set(set);
    const double ratio1 = median(q1);
    const double ratio2 = median(q2);
    const double scaling = median(sc);
    const double target = size >= 16384 ? 0.97 : 0.85;
    std::printf("%-6u %11.0f | %11.0f %11.0f %4.0f%% | %11.0f %11.0f %4.0f%% | %7.3f %7.3f %7.3f %s%s\n", size,
                median(d), median(walls1), median(w1), 100 * median(cpu1), median(walls2), median(w2),
                100 * median(cpu2), ratio1, ratio2, scaling, ratio1 >= target ? "" : "[1w/direct below target] ",
                scaling >= 0.9 || lcores.size() < 2 ? "" : "[2w/1w below 0.9]");
    std::printf("       (by round, 1w/direct:");
    for (double q : q1) std::printf(" %.3f", q);
    if (lcores.size() >= 2) {
      std::printf("; 2w/1w:");
      for (double q : sc) std::printf(" %.3f", q);
    }
    std::printf("; one thread doing client + worker: %.3f x direct)\n", r0.per_cpu_s / direct0.per_cpu_s);
    std::printf("       (per record, medians: direct %.2f ns; 1 worker %.2f ns in the record layer + %.2f ns of "
                "its own)\n",
                median(direct_ns), median(rec1), median(around1));
    if (errors != 0) std::printf("  ERRORS: %" PRIu64 " failed records\n", errors);
    pass = pass && ratio1 >= target && (lcores.size() < 2 || scaling >= 0.9) && errors == 0;
  }
  if (!o.only.empty()) {
    eal_cleanup();
    return 0;
  }
  run_installs(o, lcores);
  run_install_latency(o, lcores.back(), true);
  run_install_latency(o, lcores.back(), false);
  std::printf("throughput targets: %s\n", pass ? "PASS" : "FAIL");
  eal_cleanup();
  return 0;
}
