// Internal: TLS AEAD records spread over several buffers (RecordOp::num_segments != 0), sealed and
// opened where they lie with ipsec-mb's multi-call AES-GCM and ChaCha20-Poly1305 functions
// (init, one update per buffer piece, finalize) -- scatter-gather, so a chained mbuf needs no
// copy. Same framing, checks and errors as the single-buffer path (aead_record.hpp).
#pragma once

#include <intel-ipsec-mb.h>

#include "engine/record/record_op.hpp"

namespace tlsburst::record {

// `op` passed check_state(); its suite is an AEAD suite. Sets op.status (and the outputs).
void aead_process_segments(IMB_MGR* mgr, RecordOp& op) noexcept;

}  // namespace tlsburst::record
