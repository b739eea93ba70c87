// Internal: TLS AEAD record framing (RFC 5288, RFC 7905, RFC 8446 5.2-5.4) shared by the AES-GCM and
// ChaCha20-Poly1305 kernels: checks, header, explicit nonce, per-record nonce and AAD before the
// cipher runs; tag check, padding removal and plaintext wiping after it.
#pragma once

#include "engine/record/burst_item.hpp"

namespace tlsburst::record {

// Validates the op, reserves its sequence number and fills `item`. On failure sets op->status and
// returns false (no sequence number is consumed).
bool aead_prepare_seal(RecordOp& op, BurstItem& item) noexcept;
bool aead_prepare_open(RecordOp& op, BurstItem& item) noexcept;

// After the kernel ran: sets length/type/status; wipes the plaintext on any failure.
void aead_finish_seal(BurstItem& item) noexcept;
void aead_finish_open(BurstItem& item) noexcept;

// Checks shared by every family: keys installed for this processor's path, usage limit.
RecordStatus check_state(const DirectionState* state, ImbArch arch) noexcept;

}  // namespace tlsburst::record
