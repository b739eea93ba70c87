// Helpers of the CBC tests: sessions installed on a processor, and whole bursts of seals / opens
// through RecordProcessor with one buffer per record.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/record/direction_state.hpp"
#include "engine/record/record_processor.hpp"
#include "tests/cbc/cbc_reference.hpp"
#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {

// One direction of a session: the same keys installed twice, for the sending and the receiving
// side, so both sequence counters start at initial_seq.
struct CbcPeer {
  CbcTestKeys keys;
  DirectionState sender;
  DirectionState receiver;
};
std::unique_ptr<CbcPeer> make_peer(RecordProcessor& proc, Suite suite, bool encrypt_then_mac, Rng& rng,
                                   uint64_t initial_seq = 0);

// "tls12_aes_128_cbc_sha_mte" style names for gtest parameters.
std::string cbc_case_id(Suite s, bool encrypt_then_mac);

// One record of a burst with its own buffer.
struct BurstRecord {
  RecordBuffer buffer;
  RecordOp op;
  Bytes content;  // what was sealed (seal) or is expected (open)
};

// Seal `contents` on the given states (states[i] for contents[i]) in one process() call.
std::vector<std::unique_ptr<BurstRecord>> seal_burst(RecordProcessor& proc, std::span<DirectionState* const> states,
                                                     const std::vector<Bytes>& contents,
                                                     std::span<const ContentType> types);
// Open `records` on the given states in one process() call.
std::vector<std::unique_ptr<BurstRecord>> open_burst(RecordProcessor& proc, std::span<DirectionState* const> states,
                                                     const std::vector<Bytes>& records);

// The record a seal op produced.
Bytes record_of(const BurstRecord& r);
// The plaintext an open op released.
Bytes plaintext_of(const BurstRecord& r);

}  // namespace tlsburst::record::test
