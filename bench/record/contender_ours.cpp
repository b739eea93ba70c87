// Contender "ours": the record layer, RecordProcessor::process() on one burst of RecordOps per
// run(). Both AEAD kernels are measured: ours-direct sets gcm_kernel and chacha_kernel to direct,
// ours-burst to burst.
#include <array>
#include <optional>
#include <string>

#include "bench/record/contender.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_processor.hpp"

namespace tlsburst::bench {

namespace {

using record::AeadKernel;
using record::RecordOp;
using record::RecordOpKind;
using record::RecordProcessor;
using record::RecordProcessorOptions;

class OursContender final : public Contender {
 public:
  explicit OursContender(AeadKernel kernel) : _kernel(kernel) {}

  Status prepare(const BenchCase& c, const BenchKeys& keys, RecordRing& ring) override {
    RecordProcessorOptions options;
    options.arch = c.arch;
    options.gcm_kernel = _kernel;
    options.chacha_kernel = _kernel;
    auto proc = RecordProcessor::create(options);
    if (!proc) return proc.error();
    _proc.emplace(std::move(proc.value()));
    if (Status s = _proc->install(_state, keys.direction_keys()); !s) return s;
    _ring = &ring;
    _kind = c.direction == Direction::seal ? RecordOpKind::seal : RecordOpKind::open;
    _in_len = c.direction == Direction::seal ? ring.plaintext_len() : ring.record_len();
    return Status::success();
  }

  // Timed: filling one RecordOp per record (what a caller does) and process().
  uint32_t run(uint32_t first, uint32_t n) noexcept override {
    for (uint32_t i = 0; i < n; ++i) {
      RecordOp& op = _ops[i];
      op.state = &_state;
      op.data = _ring->slot(first + i);
      op.capacity = _ring->slot_capacity();
      op.length = _in_len;
      op.kind = _kind;
      op.type = record::ContentType::application_data;
      op.padding_len = 0;
    }
    return _proc->process(std::span<RecordOp>(_ops.data(), n));
  }

  void rewind() noexcept override { _state.seq = 0; }

 private:
  AeadKernel _kernel;
  std::optional<RecordProcessor> _proc;
  record::DirectionState _state;
  std::array<RecordOp, max_bench_burst> _ops{};
  RecordRing* _ring = nullptr;
  RecordOpKind _kind = RecordOpKind::seal;
  uint32_t _in_len = 0;
};

}  // namespace

std::unique_ptr<Contender> make_ours_direct() { return std::make_unique<OursContender>(AeadKernel::direct); }
std::unique_ptr<Contender> make_ours_burst() { return std::make_unique<OursContender>(AeadKernel::burst); }

}  // namespace tlsburst::bench
