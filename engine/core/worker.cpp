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
                            RingProducers::multi);
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
      _staging(std::move(staging)) {}

Worker::~Worker() = default;

void Worker::add_request(rte_mbuf* m) noexcept {
  RequestMeta& meta = request_meta(m);
  const uint32_t p = _num_pending;
  SessionTable::Slot* slot = meta.session.core() == _config.core ? _table.find(meta.session) : nullptr;
  if (slot == nullptr) {
    meta.reject = RejectReason::stale_session;
    meta.status = RecordStatus::not_processed;
    _pending[p] = m;
    _op_of_pending[p] = no_op;
    _num_pending = p + 1;
    return;
  }
  record::DirectionState& state = meta.kind == RecordOpKind::seal ? slot->seal() : slot->open();
  const uint32_t o = _num_ops;
  if (_num_staged == _config.num_staging &&
      ((meta.flags & request_contiguous) == 0 || meta.kind == RecordOpKind::seal)) {
    // This one may need a staging buffer and none is left: finish the batch first. (Only chained
    // or roomless requests use one; the check is conservative for seals.)
    flush();
    add_request(m);
    return;
  }
  OpLayout layout = OpLayout::in_place;
  const RejectReason r = prepare_op(m, meta, state, _staging.get() + size_t{_num_staged} * staging_len,
                                    _ops[o], layout);
  _pending[p] = m;
  _num_pending = p + 1;
  if (r != RejectReason::none) {
    meta.reject = r;
    meta.status = RecordStatus::not_processed;
    _op_of_pending[p] = no_op;
    return;
  }
  if (layout == OpLayout::staged) ++_num_staged;
  __builtin_prefetch(_ops[o].data, 1, 3);  // the record's first line, rewritten in place later
  _layouts[o] = layout;
  _input_len[o] = _ops[o].length;
  _op_of_pending[p] = static_cast<int16_t>(o);
  _num_ops = o + 1;
}

void Worker::flush() noexcept {
  if (_num_pending == 0) return;
  if (_num_ops != 0) _processor.process(std::span<record::RecordOp>(_ops.data(), _num_ops));

  uint64_t num_sealed = 0, bytes_sealed = 0, num_opened = 0, bytes_opened = 0;
  const uint64_t now = rte_rdtsc();
  for (uint32_t p = 0; p < _num_pending; ++p) {
    rte_mbuf* m = _pending[p];
    RequestMeta& meta = request_meta(m);
    meta.done_tsc = now;
    const int16_t o = _op_of_pending[p];
    if (o == no_op) {
      _stats.rejects[static_cast<size_t>(meta.reject)].add(1);
      continue;
    }
    const record::RecordOp& op = _ops[static_cast<size_t>(o)];
    meta.status = op.status;
    meta.seq = op.seq;
    if (op.status != RecordStatus::ok) {
      _stats.record_errors[static_cast<size_t>(op.status)].add(1);
      continue;
    }
    const RejectReason r = finish_op(m, meta, op, _layouts[static_cast<size_t>(o)], _config.segment_pool);
    if (r != RejectReason::none) {
      meta.reject = r;
      _stats.rejects[static_cast<size_t>(r)].add(1);
      continue;
    }
    if (op.kind == RecordOpKind::seal) {
      ++num_sealed;
      bytes_sealed += _input_len[static_cast<size_t>(o)];
    } else {
      meta.type = op.type;
      ++num_opened;
      bytes_opened += op.length;
    }
  }
  _stats.records_sealed.add(num_sealed);
  _stats.bytes_sealed.add(bytes_sealed);
  _stats.records_opened.add(num_opened);
  _stats.bytes_opened.add(bytes_opened);
  if (_num_staged != 0) _stats.staged_records.add(_num_staged);

  // Completions, in ring order, one enqueue per run of requests of the same submitter. The
  // submitter never has more requests in flight than its completion ring holds, so this cannot
  // fail; if a misbehaving client ever overfilled it, wait rather than drop.
  uint32_t begin = 0;
  while (begin < _num_pending) {
    rte_ring* ring = request_meta(_pending[begin]).completion;
    uint32_t end = begin + 1;
    while (end < _num_pending && request_meta(_pending[end]).completion == ring) ++end;
    uint32_t done = 0;
    while (done < end - begin) {
      done += rte_ring_sp_enqueue_burst(ring, reinterpret_cast<void* const*>(&_pending[begin + done]),
                                        end - begin - done, nullptr);
      if (done < end - begin) rte_pause();
    }
    begin = end;
  }
  _num_pending = 0;
  _num_ops = 0;
  _num_staged = 0;
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
  void* entries[max_burst];
  unsigned remaining = 0;
  const uint32_t n = input_dequeue(_input.get(), entries, _config.dequeue_burst, &remaining);
  if (n == 0) return 0;
  const uint64_t cpu0 = _config.measure_busy_cpu ? thread_cpu_ns() : 0;
  // The requests were written on the submitters' cores and this core writes to them too: ask for
  // their metadata lines in exclusive state for the whole burst at once, so the ownership transfers
  // overlap instead of stalling one by one. (The mbuf headers of contiguous requests are not
  // touched here at all, see request.hpp.)
  for (uint32_t i = 0; i < n; ++i) {
    if (!is_control(entries[i])) __builtin_prefetch(&request_meta(static_cast<rte_mbuf*>(entries[i])), 1, 3);
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (is_control(entries[i])) {
      flush();  // requests before the message use the state before it
      apply(untag_control(entries[i]));
      continue;
    }
    add_request(static_cast<rte_mbuf*>(entries[i]));
  }
  flush();
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
