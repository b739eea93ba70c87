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
      _staging(std::move(staging)),
      _segment_lists(new record::RecordSegment[size_t{config.num_staging} * max_record_segments]),
      _appended(new bool[config.num_staging]()) {}

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
inline void Worker::prefetch_completion_slot(rte_ring* ring, uint32_t p) const noexcept {
  const Run& run = _runs[_num_runs - 1];
  const uint32_t slot_index = run.ring_head + (p - run.begin);
  if (p == run.begin || (slot_index & 1) == 0) {
    __builtin_prefetch(ring_slot(ring, sizeof(CompletionEntry), slot_index), 1, 3);
  }
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
  __builtin_prefetch(op.data, 1, 3);  // the record's first line, rewritten in place later
}

// The common case, kept small enough to inline into the poll loop: a single-segment record of a
// live session, with room for the record around it, no TLS 1.3 padding asked for, from the same
// client as the one before. Returns false, having changed nothing, for anything else.
inline bool Worker::add_common_record(const InputEntry& e) noexcept {
  constexpr uint8_t uncommon = input_control | input_misrouted | input_padded;
  if ((e.flags & (uncommon | input_contiguous)) != input_contiguous) return false;
  SessionTable::Slot* slot = _table.find(e.slot(), e.generation);
  rte_ring* ring = _client_rings[e.client()].load(std::memory_order_relaxed);
  if (slot == nullptr || ring != _run_ring || _num_runs == 0) return false;
  const bool seal = (e.flags & input_open) == 0;
  if (!fits_in_place(e, *slot, seal, 0)) return false;

  const uint32_t p = _num_pending;
  const uint32_t o = _num_ops;
  prefetch_completion_slot(ring, p);
  CompletionEntry& c = _completions[p];
  c.mbuf = static_cast<rte_mbuf*>(e.object);
  c.reject = RejectReason::none;
  set_in_place(e, *slot, seal, 0, c, _ops[o]);
  _num_pending = p + 1;
  _num_ops = o + 1;
  return true;
}

// Any record: the common case, a new run, a stale session, padding, chains and roomless segments.
void Worker::add_record(const InputEntry& e) noexcept {
  SessionTable::Slot* slot =
      (e.flags & input_misrouted) == 0 ? _table.find(e.slot(), e.generation) : nullptr;
  const bool seal = (e.flags & input_open) == 0;
  const uint32_t p = _num_pending;
  rte_ring* ring = _client_rings[e.client()].load(std::memory_order_relaxed);
  if (ring != _run_ring || _num_runs == 0) {
    _runs[_num_runs++] = Run{ring, p, producer_head(ring)};
    _run_ring = ring;
  }
  prefetch_completion_slot(ring, p);
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
    if (_runs[_num_runs - 1].begin == p) --_num_runs;
    flush();
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
  const RejectReason r = prepare_staged(c.mbuf, op.kind, hr, tail, _staging.get() + size_t{_num_staged} * staging_len, op);
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
    if (op.num_segments != 0) {
      const size_t slot = static_cast<size_t>(op.segments - _segment_lists.get()) / max_record_segments;
      finish_segmented(c.mbuf, op, record::header_room(op.state->suite), c.length, _appended[slot]);
    }
    if (op.status != RecordStatus::ok) {
      c.in_place = false;  // the mbuf's header stays as it was
      _stats.record_errors[static_cast<size_t>(op.status)].add(1);
      continue;
    }
    const bool seal = op.kind == RecordOpKind::seal;
    if (!c.in_place && op.num_segments == 0) {
      const size_t hr = record::header_room(op.state->suite);
      if (finish_staged(c.mbuf, op, hr, _config.segment_pool) != RejectReason::none) {
        c.reject = RejectReason::no_segment;
        _stats.rejects[static_cast<size_t>(RejectReason::no_segment)].add(1);
        continue;
      }
      if (!seal) c.length = static_cast<uint16_t>(std::min<uint32_t>(op.length, UINT16_MAX));
    }
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

  // Completions, in ring order, one enqueue per run. The submitter never has more requests in
  // flight than its completion ring holds, so this cannot fail; if a misbehaving client ever
  // overfilled it, wait rather than drop.
  const uint64_t now = rte_rdtsc();
  for (uint32_t k = 0; k < _num_runs; ++k) {
    const uint32_t begin = _runs[k].begin;
    const uint32_t len = (k + 1 < _num_runs ? _runs[k + 1].begin : _num_pending) - begin;
    uint32_t done = 0;
    while (done < len) {
      done += completion_enqueue(_runs[k].ring, &_completions[begin + done], len - done, now);
      if (done < len) rte_pause();
    }
  }
  _num_pending = 0;
  _num_ops = 0;
  _num_staged = 0;
  _num_scatter_gather = 0;
  _num_runs = 0;
  _run_ring = nullptr;
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
  const uint32_t n = input_peek(_input.get(), _config.dequeue_burst, entries, &remaining);
  if (n == 0) return 0;
  const uint64_t cpu0 = _config.measure_busy_cpu ? thread_cpu_ns() : 0;
  // The entries behind these were written on the submitters' cores: pull their lines in now, one
  // every other entry handled, so that they arrive while this burst is processed rather than when
  // the next poll reads them, without a burst of prefetches queueing up for line fill buffers.
  const uint32_t next_head = consumer_head(_input.get());
  const uint32_t ahead = std::min<uint32_t>(remaining, _config.dequeue_burst);
  const uint8_t* next_slot = ring_slot(_input.get(), sizeof(InputEntry), next_head);
  const uint8_t* const slots_begin = ring_slot(_input.get(), sizeof(InputEntry), 0);
  const uint8_t* const slots_end = slots_begin + size_t{_input.get()->size} * sizeof(InputEntry);
  if ((next_head & 1) != 0) next_slot += sizeof(InputEntry);  // to the next line's first entry
  uint32_t num_prefetched = (next_head & 1) != 0 ? 1 : 0;
  auto handle = [&](const InputEntry* batch, uint32_t len) {
    for (uint32_t i = 0; i < len; ++i) {
      if (num_prefetched < ahead && (i & 1) == 0) {
        if (next_slot >= slots_end) next_slot = slots_begin;
        __builtin_prefetch(next_slot, 0, 3);
        next_slot += 64;
        num_prefetched += 2;
      }
      const InputEntry& e = batch[i];
      if (add_common_record(e)) [[likely]] continue;
      if (e.kind() == InputKind::record) {
        add_record(e);
      } else {
        flush();  // requests before the message use the state before it
        apply(static_cast<ControlMessage*>(e.object));
      }
    }
  };
  handle(entries.first, std::min(n, entries.num_first));
  if (n > entries.num_first) handle(entries.second, n - entries.num_first);
  flush();
  input_release(_input.get(), n);
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
