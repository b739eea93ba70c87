#include "engine/record/record_processor.hpp"

#include <algorithm>

#include "engine/record/aead_kernels.hpp"
#include "engine/record/aead_record.hpp"
#include "engine/record/cbc_hmac.hpp"

namespace tlsburst::record {

struct RecordProcessor::Scratch {
  Scratch(ImbManager m, const RecordProcessorOptions& o, CbcEnginePtr c)
      : mgr(std::move(m)), options(o), cbc(std::move(c)) {}

  ImbManager mgr;
  RecordProcessorOptions options;
  CbcEnginePtr cbc;

  // Staging for one chunk of at most max_burst ops.
  BurstItem items[max_burst];
  BurstItem* gcm_seal[max_burst];
  BurstItem* gcm_open[max_burst];
  BurstItem* chacha_seal[max_burst];
  BurstItem* chacha_open[max_burst];
  RecordOp* cbc_ops[max_burst];
  int16_t item_of_op[max_burst];  // index into items, or -1 when the op is not an AEAD item
};

Result<RecordProcessor> RecordProcessor::create(const RecordProcessorOptions& options) {
  auto mgr = ImbManager::create(options.arch);
  if (!mgr) return mgr.error();
  auto cbc = make_cbc_engine(mgr->get());
  if (!cbc) return cbc.error();
  return RecordProcessor(std::make_unique<Scratch>(std::move(mgr).value(), options, std::move(cbc).value()));
}

RecordProcessor::RecordProcessor(std::unique_ptr<Scratch> scratch) : _s(std::move(scratch)) {}
RecordProcessor::RecordProcessor(RecordProcessor&&) noexcept = default;
RecordProcessor& RecordProcessor::operator=(RecordProcessor&&) noexcept = default;
RecordProcessor::~RecordProcessor() = default;

ImbArch RecordProcessor::arch() const noexcept { return _s->mgr.arch(); }
const RecordProcessorOptions& RecordProcessor::options() const noexcept { return _s->options; }
ImbManager& RecordProcessor::manager() noexcept { return _s->mgr; }

Status RecordProcessor::install(DirectionState& state, const DirectionKeys& keys) const {
  return install_keys(state, keys, _s->mgr);
}

namespace {

void run_aead(IMB_MGR* mgr, AeadKernel kernel, bool gcm, BurstItem* const* items, size_t n, bool seal) {
  if (n == 0) return;
  if (gcm) {
    kernel == AeadKernel::direct ? gcm_run_direct(mgr, items, n, seal) : gcm_run_burst(mgr, items, n, seal);
  } else {
    kernel == AeadKernel::direct ? chacha_run_direct(mgr, items, n, seal) : chacha_run_burst(mgr, items, n, seal);
  }
}

}  // namespace

uint32_t RecordProcessor::process(std::span<RecordOp> ops) noexcept {
  Scratch& s = *_s;
  IMB_MGR* const mgr = s.mgr.get();
  const ImbArch arch = s.mgr.arch();
  uint32_t num_ok = 0;

  for (size_t base = 0; base < ops.size(); base += max_burst) {
    const size_t n = std::min(ops.size() - base, max_burst);
    RecordOp* const chunk = ops.data() + base;
    size_t num_items = 0, num_gcm_seal = 0, num_gcm_open = 0, num_chacha_seal = 0, num_chacha_open = 0,
           num_cbc = 0;

    // Frame every record and reserve its sequence number, in span order.
    for (size_t i = 0; i < n; ++i) {
      RecordOp& op = chunk[i];
      s.item_of_op[i] = -1;
      const RecordStatus st = check_state(op.state, arch);
      if (st != RecordStatus::ok) {
        op.status = st;
        continue;
      }
      const CipherFamily family = suite_info(op.state->suite).family;
      if (family == CipherFamily::aes_cbc_hmac) {
        s.cbc_ops[num_cbc++] = &op;
        continue;
      }
      BurstItem& item = s.items[num_items];
      const bool seal = op.kind == RecordOpKind::seal;
      if (!(seal ? aead_prepare_seal(op, item) : aead_prepare_open(op, item))) continue;
      s.item_of_op[i] = static_cast<int16_t>(num_items++);
      if (family == CipherFamily::aes_gcm) {
        (seal ? s.gcm_seal[num_gcm_seal++] : s.gcm_open[num_gcm_open++]) = &item;
      } else {
        (seal ? s.chacha_seal[num_chacha_seal++] : s.chacha_open[num_chacha_open++]) = &item;
      }
    }

    run_aead(mgr, s.options.gcm_kernel, true, s.gcm_seal, num_gcm_seal, true);
    run_aead(mgr, s.options.gcm_kernel, true, s.gcm_open, num_gcm_open, false);
    run_aead(mgr, s.options.chacha_kernel, false, s.chacha_seal, num_chacha_seal, true);
    run_aead(mgr, s.options.chacha_kernel, false, s.chacha_open, num_chacha_open, false);
    if (num_cbc > 0) cbc_process(*s.cbc, mgr, s.cbc_ops, num_cbc);

    for (size_t i = 0; i < n; ++i) {
      RecordOp& op = chunk[i];
      if (s.item_of_op[i] >= 0) {
        BurstItem& item = s.items[s.item_of_op[i]];
        op.kind == RecordOpKind::seal ? aead_finish_seal(item) : aead_finish_open(item);
      }
      num_ok += op.status == RecordStatus::ok;
    }
  }
  return num_ok;
}

}  // namespace tlsburst::record
