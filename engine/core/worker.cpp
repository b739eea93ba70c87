#include "engine/core/worker.hpp"

#include <rte_cycles.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <span>
#include <string>

namespace tlsburst::engine {

namespace {
uint64_t thread_cpu_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}
}  // namespace

using record::RecordOpKind;
using record::RecordStatus;

Result<std::unique_ptr<Worker>> Worker::create(const WorkerConfig& config) {
  if (config.dequeue_burst == 0 || config.dequeue_burst > max_burst) {
    return make_error(Alert::internal_error, "worker: dequeue burst must be in [1, " +
                                                 std::to_string(max_burst) + "]");
  }
  if (config.num_staging == 0) return make_error(Alert::internal_error, "worker: num_staging is 0");
  auto processor = record::RecordProcessor::create(config.processor);
  if (!processor) return processor.error();
  auto table = SessionTable::create(config.num_sessions, config.numa_node);
  if (!table) return table.error();
  auto input = Ring::create("tlsburst_in_" + std::to_string(config.core), config.input_ring_len,
                            RingProducers::multi, sizeof(InputEntry));
  if (!input) return input.error();
  std::unique_ptr<uint8_t[]> staging(new (std::nothrow) uint8_t[config.num_staging * staging_len]);
  if (!staging) return make_error(Alert::internal_error, "worker: out of memory for staging");
  return std::unique_ptr<Worker>(new Worker(config, std::move(processor.value()), std::move(table.value()),
                                            std::move(input.value()), std::move(staging)));
}

Worker::Worker(const WorkerConfig& config, record::RecordProcessor processor, SessionTable table,
               Ring input, std::unique_ptr<uint8_t[]> staging)
    : _config(config),
      _processor(std::move(processor)),
      _table(std::move(table)),
      _input(std::move(input)),
      _consumer(_input.get()),
      _staging(std::move(staging)),
      _segment_lists(new record::RecordSegment[size_t{config.num_staging} * max_record_segments]),
      _appended(new uint8_t[config.num_staging]()) {}

Worker::~Worker() = default;

namespace {
// Whether a record can be processed where it lies in its one segment: an open always, a seal
// when the segment has room for the header and the tail.
bool fits_in_place(const InputEntry& e, const SessionTable::Slot& slot, bool seal, uint16_t padding_len) noexcept {
  if ((e.flags & input_contiguous) == 0) return false;
  return !seal || (e.headroom >= slot.seal_header_room && e.tailroom >= slot.seal_tail_room + uint32_t{padding_len});
}
}  // namespace

// The completion slot request `p` of the last run will take, in exclusive state, while the batch
// is still being assembled: the transfer from the client's core then overlaps with the crypto.
// (Only a ring's first run in a batch knows its positions exactly; later ones may prefetch in vain.)
inline void Worker::prefetch_completion_slot(uint32_t p) const noexcept {
  __builtin_prefetch(_run_slots + size_t{(p + _run_slot_delta) & _run_mask} * sizeof(CompletionEntry), 1, 3);
}

// Starts a run of requests completing on `client`'s ring with request `p`.
inline void Worker::begin_run(uint32_t client, uint32_t p) noexcept {
  rte_ring* ring = _client_rings[client].load(std::memory_order_relaxed);
  CompletionCursor& cursor = _cursors[client];
  const uint64_t serial = _client_serials[client].load(std::memory_order_relaxed);
  if (cursor.serial != serial) {  // a client new to this worker: its ring starts where it is
    cursor.serial = serial;
    cursor.head = producer_head(ring);
  }
  _runs[_num_runs++] = Run{ring, p, client};
  _run_client = client;
  _run_slot_delta = cursor.head - p;
  _run_mask = ring->mask;
  _run_slots = ring_slot(ring, sizeof(CompletionEntry), 0);
}

// Makes `op` process the record where it lies (fits_in_place() said it can) and `c` report it.
inline void Worker::set_in_place(const InputEntry& e, SessionTable::Slot& slot, bool seal, uint16_t padding_len,
                                 CompletionEntry& c, record::RecordOp& op) noexcept {
  c.in_place = true;
  c.length = e.length;  // seal: the plaintext's, for the statistics (flush() puts the output's)
  op.num_segments = 0;  // (the slot may have held a scatter-gather op)
  op.user_data = &c;
  op.type = e.type;
  op.padding_len = padding_len;
  op.status = RecordStatus::not_processed;
  op.length = e.length;
  if (seal) {
    // The header goes into the headroom, the tag into the tailroom.
    const uint32_t hr = slot.seal_header_room;
    op.kind = RecordOpKind::seal;
    op.state = &slot.seal();
    op.data = e.data - hr;
    op.capacity = hr + e.length + e.tailroom;
    c.data_shift = static_cast<int16_t>(-static_cast<int32_t>(hr));
  } else {
    op.kind = RecordOpKind::open;
    op.state = &slot.open();
    op.data = e.data;
    op.capacity = uint32_t{e.length} + e.tailroom;
    c.data_shift = static_cast<int16_t>(slot.open_header_room);
  }
  // The record's first line, rewritten in place later: for a short record, most of it. (A long
  // one streams through the hardware prefetchers anyway; for 16 KB records this prefetch only
  // held a fill buffer, about 2 ns per record.)
  if (e.length < 1024) __builtin_prefetch(op.data, 1, 3);
}

// The common case, kept small enough to inline into the poll loop: a single-segment record of a
// live session, with room for the record around it, no TLS 1.3 padding asked for, from the same
// client as the one before. Returns false, having changed nothing, for anything else.
// `p` and `o` are the batch's request and op counts (the caller keeps them in registers and adds
// one to each when this returns true).
inline bool Worker::add_common_record(const InputEntry& e, uint32_t p, uint32_t o) noexcept {
  constexpr uint8_t uncommon = input_control | input_misrouted | input_padded;
  if ((e.flags & (uncommon | input_contiguous)) != input_contiguous || e.client() != _run_client) return false;
  SessionTable::Slot* slot = _table.find(e.slot(), e.generation);
  if (slot == nullptr) return false;
  const bool seal = (e.flags & input_open) == 0;
  if (!fits_in_place(e, *slot, seal, 0)) return false;

  prefetch_completion_slot(p);
  CompletionEntry& c = _completions[p];
  c.mbuf = static_cast<rte_mbuf*>(e.object);
  c.reject = RejectReason::none;
  set_in_place(e, *slot, seal, 0, c, _ops[o]);
  return true;
}

// Any record: the common case, a new run, a stale session, padding, chains and roomless segments.
void Worker::add_record(const InputEntry& e) noexcept {
  SessionTable::Slot* slot =
      (e.flags & input_misrouted) == 0 ? _table.find(e.slot(), e.generation) : nullptr;
  const bool seal = (e.flags & input_open) == 0;
  const uint32_t p = _num_pending;
  if (e.client() != _run_client) begin_run(e.client(), p);
  prefetch_completion_slot(p);
  _num_pending = p + 1;

  CompletionEntry& c = _completions[p];
  c.mbuf = static_cast<rte_mbuf*>(e.object);
  c.reject = RejectReason::none;
  if (slot == nullptr) {
    c.reject = RejectReason::stale_session;
    c.status = RecordStatus::not_processed;
    c.seq = 0;
    c.in_place = false;
    _stats.rejects[static_cast<size_t>(RejectReason::stale_session)].add(1);
    return;
  }
  const uint32_t o = _num_ops;
  record::RecordOp& op = _ops[o];
  // The padding length is the one thing a worker reads from the request's metadata, and only
  // when the client said there is some (TLS 1.3 seals that ask for padding).
  const uint16_t padding_len = (e.flags & input_padded) != 0 ? request_meta(c.mbuf).padding_len : 0;
  if (fits_in_place(e, *slot, seal, padding_len)) {
    set_in_place(e, *slot, seal, padding_len, c, op);
    _num_ops = o + 1;
    return;
  }
  op.kind = seal ? RecordOpKind::seal : RecordOpKind::open;
  op.type = e.type;
  op.status = RecordStatus::not_processed;
  op.user_data = &c;
  op.padding_len = padding_len;
  op.state = seal ? &slot->seal() : &slot->open();
  op.num_segments = 0;  // prepare_segmented() sets it
  c.in_place = false;
  // Chained, or a segment without the room: scatter-gather or through a staging buffer. Both use
  // one of the batch's staging slots; when it has used them all, take the request back out,
  // finish the batch and start the next with it.
  if (_num_staged == _config.num_staging) {
    _num_pending = p;
    flush();  // (a run that would have begun with this request is begun again by the call below)
    add_record(e);
    return;
  }
  const size_t hr = seal ? slot->seal_header_room : slot->open_header_room;
  const size_t tail = seal ? slot->seal_tail_room + size_t{op.padding_len} : 0;
  if (record::suite_info(op.state->suite).family != record::CipherFamily::aes_cbc_hmac && use_scatter_gather(c.mbuf) &&
      prepare_segmented(c.mbuf, op.kind, hr, tail, _config.segment_pool,
                        &_segment_lists[size_t{_num_staged} * max_record_segments], op, _appended[_num_staged])) {
    // AEAD over the chain itself (ipsec-mb's multi-call functions): no copy.
    c.length = static_cast<uint16_t>(seal ? std::min<uint32_t>(op.length, UINT16_MAX) : 0);
    ++_num_staged;
    ++_num_scatter_gather;
    _num_ops = o + 1;
    return;
  }
  const RejectReason r = prepare_staged(c.mbuf, op.kind, hr, tail, _staging.get() + size_t{_num_staged} * staging_len,
                                        _config.segment_pool, op, _appended[_num_staged]);
  if (r != RejectReason::none) {
    c.reject = r;
    c.status = RecordStatus::not_processed;
    c.seq = 0;
    _stats.rejects[static_cast<size_t>(r)].add(1);
    return;
  }
  c.length = static_cast<uint16_t>(seal ? std::min<uint32_t>(op.length, UINT16_MAX) : 0);
  ++_num_staged;
  _num_ops = o + 1;
}

void Worker::flush() noexcept {
  if (_num_pending == 0) return;
  if (_num_ops != 0) {
    const uint64_t t0 = rte_rdtsc();
    _processor.process(std::span<record::RecordOp>(_ops.data(), _num_ops));
    _stats.record_cycles.add(rte_rdtsc() - t0);
  }

  uint64_t num_sealed = 0, bytes_sealed = 0, num_opened = 0, bytes_opened = 0;
  for (uint32_t o = 0; o < _num_ops; ++o) {
    const record::RecordOp& op = _ops[o];
    CompletionEntry& c = *static_cast<CompletionEntry*>(op.user_data);
    c.status = op.status;
    c.seq = op.seq;
    if (op.status == RecordStatus::ok && c.in_place) [[likely]] {
      // In place, done: the statistics and the new length.
      const bool seal = op.kind == RecordOpKind::seal;
      num_sealed += seal;
      bytes_sealed += seal ? c.length : 0;
      num_opened += !seal;
      bytes_opened += seal ? 0 : op.length;
      c.type = op.type;
      c.length = static_cast<uint16_t>(op.length);
      continue;
    }
    // The chain takes the output (or, after a failure, is put back as it was).
    if (op.num_segments != 0) {
      const size_t slot = static_cast<size_t>(op.segments - _segment_lists.get()) / max_record_segments;
      finish_segmented(c.mbuf, op, record::header_room(op.state->suite), c.length, _appended[slot]);
    } else if (!c.in_place) {
      const size_t slot = static_cast<size_t>(op.data - _staging.get()) / staging_len;
      finish_staged(c.mbuf, op, record::header_room(op.state->suite), _appended[slot]);
    }
    if (op.status != RecordStatus::ok) {
      c.in_place = false;  // the mbuf's header stays as it was
      _stats.record_errors[static_cast<size_t>(op.status)].add(1);
      continue;
    }
    const bool seal = op.kind == RecordOpKind::seal;
    if (!c.in_place && op.num_segments == 0 && !seal) c.length = static_cast<uint16_t>(std::min<uint32_t>(op.length, UINT16_MAX));
    if (seal) {
      ++num_sealed;
      bytes_sealed += c.length;
    } else {
      c.type = op.type;
      ++num_opened;
      bytes_opened += op.length;
    }
    c.length = static_cast<uint16_t>(op.length);
  }
  _stats.records_sealed.add(num_sealed);
  _stats.bytes_sealed.add(bytes_sealed);
  _stats.records_opened.add(num_opened);
  _stats.bytes_opened.add(bytes_opened);
  if (_num_staged != 0) {
    _stats.staged_records.add(_num_staged - _num_scatter_gather);
    _stats.scatter_gather_records.add(_num_scatter_gather);
  }

  // Completions, in ring order, one enqueue per run (the submitter's credit guarantees the room).
  const uint64_t now = rte_rdtsc();
  for (uint32_t k = 0; k < _num_runs; ++k) {
    const uint32_t begin = _runs[k].begin;
    const uint32_t len = (k + 1 < _num_runs ? _runs[k + 1].begin : _num_pending) - begin;
    completion_enqueue_credited(_runs[k].ring, _cursors[_runs[k].client].head, &_completions[begin], len, now);
  }
  _num_pending = 0;
  _num_ops = 0;
  _num_staged = 0;
  _num_scatter_gather = 0;
  _num_runs = 0;
  _run_client = no_client;
}

void Worker::apply(ControlMessage* msg) noexcept {
  const SessionHandle h = msg->session;
  bool applied = false;
  switch (msg->kind) {
    case ControlKind::create:
      applied = h.core() == _config.core && _table.install(h, msg->seal, msg->open);
      record::wipe(msg->seal);
      record::wipe(msg->open);
      break;
    case ControlKind::rekey_seal:
    case ControlKind::rekey_open: {
      SessionTable::Slot* slot = h.core() == _config.core ? _table.find(h) : nullptr;
      const bool seal = msg->kind == ControlKind::rekey_seal;
      record::DirectionState& incoming = seal ? msg->seal : msg->open;
      if (slot != nullptr) {
        record::DirectionState& current = seal ? slot->seal() : slot->open();
        record::wipe(current);
        current = incoming;
        slot->refresh_layout();
        applied = true;
      }
      record::wipe(incoming);
      break;
    }
    case ControlKind::remove:
      applied = h.core() == _config.core && _table.remove(h);
      break;
    case ControlKind::barrier:
      applied = true;
      break;
  }
  msg->applied = applied;
  msg->applied_tsc = rte_rdtsc();
  _stats.control_messages.add(1);
  // The sender owns exactly as many messages as its reply ring holds: this cannot fail.
  while (rte_ring_sp_enqueue(msg->reply, msg) != 0) rte_pause();
}

uint32_t Worker::poll_once() noexcept {
  InputView entries;
  unsigned remaining = 0;
  const uint32_t n = _consumer.peek(_config.dequeue_burst, entries, &remaining);
  if (n == 0) return 0;
  const uint64_t cpu0 = _config.measure_busy_cpu ? thread_cpu_ns() : 0;
  // The entries behind these were written on the submitters' cores: pull their lines in now, one
  // every other entry handled, so that they arrive while this burst is processed rather than when
  // the next poll reads them, without a burst of prefetches queueing up for line fill buffers.
  // (Entry next_head + k, for even k, shares a line with k - 1 or k + 1: every other one covers
  // them all.)
  rte_ring* const input = _input.get();
  const uint32_t next_head = _consumer.head() + n;
  const uint32_t ahead = std::min<uint32_t>(remaining, _config.dequeue_burst);
  uint32_t p = _num_pending, o = _num_ops;  // in registers on the common path
  auto handle = [&](const InputEntry* batch, uint32_t len, uint32_t k) {
    for (uint32_t i = 0; i < len; ++i, ++k) {
      if ((k & 1) == 0 && k < ahead) __builtin_prefetch(ring_slot(input, sizeof(InputEntry), next_head + k), 0, 3);
      const InputEntry& e = batch[i];
      if (add_common_record(e, p, o)) [[likely]] {
        ++p;
        ++o;
        continue;
      }
      _num_pending = p;
      _num_ops = o;
      if (e.kind() == InputKind::record) {
        add_record(e);
      } else {
        flush();  // requests before the message use the state before it
        apply(static_cast<ControlMessage*>(e.object));
      }
      p = _num_pending;
      o = _num_ops;
    }
  };
  const uint32_t n1 = std::min(n, entries.num_first);
  handle(entries.first, n1, 0);
  if (n > n1) handle(entries.second, n - n1, n1);
  _num_pending = p;
  _num_ops = o;
  flush();
  _consumer.release(n);
  _stats.bursts.add(1);
  _stats.burst_histogram[burst_bucket(n)].add(1);
  _stats.ring_depth_max.max(n + remaining);
  _stats.ring_depth_last.set(n + remaining);
  _stats.ring_depth_sum.add(n + remaining);
  if (_config.measure_busy_cpu) {
    // Less what the two clock reads themselves put inside the interval (calibrated at start).
    const uint64_t d = thread_cpu_ns() - cpu0;
    _stats.busy_cpu_ns.add(d > _cpu_clock_overhead_ns ? d - _cpu_clock_overhead_ns : 0);
  }
  return n;
}

void Worker::run() noexcept {
  while (!_go.load(std::memory_order_acquire)) rte_pause();
  // Bound the kernel's timer slack so idle naps wake close to their nominal length.
  prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
  IdleBackoff backoff(_config.idle);
  uint64_t last = rte_rdtsc();
  // The thread's CPU time, for figures that must not count time the CPU spent on other threads
  // (busy TSC cycles include preemption). One clock read per millisecond.
  const uint64_t cpu_sample_cycles = rte_get_tsc_hz() / 1000;
  uint64_t last_cpu_sample = last;
  auto sample_cpu = [this] { _stats.cpu_ns.set(thread_cpu_ns()); };
  sample_cpu();
  if (_config.measure_busy_cpu) {
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < 64; ++i) {
      const uint64_t t0 = thread_cpu_ns();
      best = std::min(best, thread_cpu_ns() - t0);
    }
    _cpu_clock_overhead_ns = best;
  }
  for (;;) {
    if (last - last_cpu_sample > cpu_sample_cycles) {
      sample_cpu();
      last_cpu_sample = last;
    }
    // Read the stop flag before polling: a stop requested after the last submission then
    // guarantees the poll sees that submission.
    const bool stopping = _stop.load(std::memory_order_acquire);
    const uint32_t n = poll_once();
    if (n != 0) {
      backoff.reset();
      const uint64_t now = rte_rdtsc();
      _stats.busy_cycles.add(now - last);
      last = now;
      continue;
    }
    if (stopping) break;
    if (backoff.wait() == IdleBackoff::Action::sleep) _stats.sleeps.add(1);
    const uint64_t now = rte_rdtsc();
    _stats.idle_cycles.add(now - last);
    last = now;
  }
  sample_cpu();
  _finished.store(true, std::memory_order_release);
}

int Worker::run_entry(void* worker) noexcept {
  static_cast<Worker*>(worker)->run();
  return 0;
}

}  // namespace tlsburst::engine
