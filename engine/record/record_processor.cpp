#include "engine/record/record_processor.hpp"

#include "engine/record/aead_segments.hpp"

#include <algorithm>
#include <array>
#include <utility>

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
  BurstItem* staged[max_burst];       // items for the burst kernels, in span order
  RecordOp* cbc_ops[max_burst];
};

Result<RecordProcessor> RecordProcessor::create(const RecordProcessorOptions& options) {
  auto mgr = ImbManager::create(options.arch);
  if (!mgr) return mgr.error();
  auto cbc = make_cbc_engine(mgr->get(), options.cbc_padding);
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

// One record through the direct kernel, framing specialised for its suite at compile time.
// Framing writes nonces and AADs with whole-vector stores, so the cipher can read them right away.
template <Suite S, bool Seal>
void direct_one(IMB_MGR* mgr, RecordOp& op) noexcept {
  constexpr SuiteInfo info = suite_info(S);
  alignas(64) BurstItem item;
  if constexpr (Seal) {
    if (!prepare_seal<info.version, info.family>(op, item)) return;
  } else {
    if (!prepare_open<info.version, info.family>(op, item)) return;
  }
  if constexpr (info.family == CipherFamily::aes_gcm) {
    gcm_direct<Seal>(mgr, item, info.key_len == 16);
  } else {
    chacha_direct<Seal>(mgr, item);
  }
  if constexpr (Seal) {
    finish_seal(item);
  } else {
    finish_open<info.version>(item);
  }
}

using DirectFn = void (*)(IMB_MGR*, RecordOp&) noexcept;

template <size_t I>
constexpr std::array<DirectFn, 2> direct_entry() {
  constexpr Suite s = static_cast<Suite>(I);
  if constexpr (suite_info(s).family == CipherFamily::aes_cbc_hmac) {
    return {nullptr, nullptr};
  } else {
    return {&direct_one<s, true>, &direct_one<s, false>};
  }
}

template <size_t... I>
constexpr std::array<std::array<DirectFn, 2>, num_suites> make_direct_table(std::index_sequence<I...>) {
  return {direct_entry<I>()...};
}

// [suite][0 = seal, 1 = open]
constexpr auto direct_table = make_direct_table(std::make_index_sequence<num_suites>{});

}  // namespace

uint32_t RecordProcessor::process(std::span<RecordOp> ops) noexcept {
  Scratch& s = *_s;
  IMB_MGR* const mgr = s.mgr.get();
  const ImbArch arch = s.mgr.arch();
  const bool gcm_direct_kernel = s.options.gcm_kernel == AeadKernel::direct;
  const bool chacha_direct_kernel = s.options.chacha_kernel == AeadKernel::direct;
  uint32_t num_ok = 0;

  for (size_t base = 0; base < ops.size(); base += max_burst) {
    const size_t n = std::min(ops.size() - base, max_burst);
    RecordOp* const chunk = ops.data() + base;
    size_t num_burst = 0, num_staged = 0, num_gcm_seal = 0, num_gcm_open = 0, num_chacha_seal = 0, num_chacha_open = 0,
           num_cbc = 0;

    // In span order: direct-kernel records are framed, ciphered and checked right away; the
    // others are framed (sequence numbers reserved) and staged for their family's job burst.
    for (size_t i = 0; i < n; ++i) {
      RecordOp& op = chunk[i];
      const RecordStatus st = check_state(op.state, arch);
      if (st != RecordStatus::ok) {
        op.status = st;
        continue;
      }
      const Suite suite = op.state->suite;
      const CipherFamily family = suite_info(suite).family;
      if (op.num_segments != 0) [[unlikely]] {
        // Scatter-gather: processed right here, in span order like the direct kernels.
        if (family == CipherFamily::aes_cbc_hmac) {
          op.status = RecordStatus::buffer_too_small;
        } else {
          aead_process_segments(mgr, op);
        }
        continue;
      }
      if (family == CipherFamily::aes_cbc_hmac) {
        s.cbc_ops[num_cbc++] = &op;
        continue;
      }
      const bool gcm = family == CipherFamily::aes_gcm;
      const bool seal = op.kind == RecordOpKind::seal;
      if (gcm ? gcm_direct_kernel : chacha_direct_kernel) {
        direct_table[static_cast<size_t>(suite)][seal ? 0 : 1](mgr, op);
        continue;
      }
      BurstItem& item = s.items[num_staged];
      if (!aead_prepare(op, item)) continue;
      s.staged[num_burst++] = &item;
      ++num_staged;
      if (gcm) {
        (seal ? s.gcm_seal[num_gcm_seal++] : s.gcm_open[num_gcm_open++]) = &item;
      } else {
        (seal ? s.chacha_seal[num_chacha_seal++] : s.chacha_open[num_chacha_open++]) = &item;
      }
    }

    if (num_gcm_seal > 0) gcm_run_burst(mgr, s.gcm_seal, num_gcm_seal, true);
    if (num_gcm_open > 0) gcm_run_burst(mgr, s.gcm_open, num_gcm_open, false);
    if (num_chacha_seal > 0) chacha_run_burst(mgr, s.chacha_seal, num_chacha_seal, true);
    if (num_chacha_open > 0) chacha_run_burst(mgr, s.chacha_open, num_chacha_open, false);
    for (size_t i = 0; i < num_burst; ++i) aead_finish(*s.staged[i]);
    if (num_cbc > 0) cbc_process(*s.cbc, mgr, s.cbc_ops, num_cbc);

    for (size_t i = 0; i < n; ++i) num_ok += chunk[i].status == RecordStatus::ok;
  }
  return num_ok;
}

}  // namespace tlsburst::record
