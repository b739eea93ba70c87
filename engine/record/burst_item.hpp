// Internal: the per-record scratch a burst chunk carries between framing and the cipher kernels.
#pragma once

#include <cstdint>

#include "engine/record/direction_state.hpp"
#include "engine/record/record_op.hpp"

namespace tlsburst::record {

struct BurstItem {
  RecordOp* op;
  DirectionState* state;
  uint8_t* payload;      // first byte to encrypt/decrypt
  uint32_t payload_len;  // bytes to encrypt/decrypt
  uint8_t* tag;          // where the record's tag is (open) or goes (seal)
  alignas(16) uint8_t nonce[16];
  alignas(16) uint8_t aad[16];
  uint8_t aad_len;
  bool kernel_ok;         // set by the kernel: the cipher ran and wrote its tag
  alignas(16) uint8_t computed_tag[16];  // open: the tag the kernel computed
};

}  // namespace tlsburst::record
