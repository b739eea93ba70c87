// Internal: TLS 1.2 AES-CBC + HMAC record protection (RFC 5246 6.2.3.2 MAC-then-encrypt, RFC 7366
// encrypt-then-MAC) on ipsec-mb's multi-buffer CBC and HMAC lanes.
#pragma once

#include <cstddef>
#include <memory>

#include "engine/common/result.hpp"

#include "engine/record/direction_keys.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_op.hpp"
#include "engine/record/record_processor.hpp"

struct IMB_MGR;

namespace tlsburst::record {

// Key schedule (encrypt and decrypt round keys) and HMAC ipad/opad states, computed once.
void expand_cbc_hmac_keys(CbcHmacKeys& out, const SuiteInfo& info, const DirectionKeys& keys, IMB_MGR* mgr);

// Per-processor state for the CBC path (explicit-IV generator, job and staging arrays); created
// once per RecordProcessor, on the thread that owns it, for that processor's manager.
class CbcEngine;
struct CbcEngineDeleter {
  void operator()(CbcEngine* e) const noexcept;
};
using CbcEnginePtr = std::unique_ptr<CbcEngine, CbcEngineDeleter>;
Result<CbcEnginePtr> make_cbc_engine(IMB_MGR* mgr, CbcPadding padding = CbcPadding::minimal);

// Runs `n` CBC ops (seal and open mixed, any CBC suites and sessions; installed/arch checked by the
// caller) and sets their status. Sequence numbers are reserved in array order.
//
// A chunk runs in four phases, each one ipsec-mb burst per hash algorithm or per key size and
// direction: (1) HMAC of MAC-then-encrypt seals and of encrypt-then-MAC opens; (2) CBC encryption
// and decryption of everything; (3) HMAC of encrypt-then-MAC seals; (4) per record, the
// constant-time padding and MAC check of MAC-then-encrypt opens (cbc_mac_check.hpp).
void cbc_process(CbcEngine& engine, IMB_MGR* mgr, RecordOp* const* ops, size_t n) noexcept;

}  // namespace tlsburst::record
