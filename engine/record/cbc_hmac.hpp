// Internal: TLS 1.2 AES-CBC + HMAC record protection (RFC 5246 6.2.3.2 MAC-then-encrypt, RFC 7366
// encrypt-then-MAC) on ipsec-mb's multi-buffer CBC and HMAC lanes.
#pragma once

#include <cstddef>
#include <memory>

#include "engine/common/result.hpp"

#include "engine/record/direction_keys.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_op.hpp"

struct IMB_MGR;

namespace tlsburst::record {

// Key schedule (encrypt and decrypt round keys) and HMAC ipad/opad states, computed once.
void expand_cbc_hmac_keys(CbcHmacKeys& out, const SuiteInfo& info, const DirectionKeys& keys, IMB_MGR* mgr);

// Per-processor state for the CBC path (explicit-IV generator, staging); created once per
// RecordProcessor, on the thread that owns it.
class CbcEngine;
struct CbcEngineDeleter {
  void operator()(CbcEngine* e) const noexcept;
};
using CbcEnginePtr = std::unique_ptr<CbcEngine, CbcEngineDeleter>;
Result<CbcEnginePtr> make_cbc_engine(IMB_MGR* mgr);

// Runs `n` CBC ops (seal and open mixed; states already checked by the caller) and sets their
// status. Sequence numbers are reserved in array order.
void cbc_process(CbcEngine& engine, IMB_MGR* mgr, RecordOp* const* ops, size_t n) noexcept;

}  // namespace tlsburst::record
