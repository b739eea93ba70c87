#include "tests/cbc/cbc_test_support.hpp"

#include <gtest/gtest.h>

namespace tlsburst::record::test {

std::unique_ptr<CbcPeer> make_peer(RecordProcessor& proc, Suite suite, bool encrypt_then_mac, Rng& rng,
                                   uint64_t initial_seq) {
  auto peer = std::make_unique<CbcPeer>();
  peer->keys = CbcTestKeys::random(suite, encrypt_then_mac, rng);
  const DirectionKeys dk = peer->keys.direction_keys(initial_seq);
  Status a = proc.install(peer->sender, dk);
  Status b = proc.install(peer->receiver, dk);
  EXPECT_TRUE(a.ok() && b.ok()) << "install failed for " << suite_name(suite);
  return peer;
}

std::string cbc_case_id(Suite s, bool encrypt_then_mac) {
  return suite_id(s) + (encrypt_then_mac ? "_etm" : "_mte");
}

std::vector<std::unique_ptr<BurstRecord>> seal_burst(RecordProcessor& proc, std::span<DirectionState* const> states,
                                                     const std::vector<Bytes>& contents,
                                                     std::span<const ContentType> types) {
  std::vector<std::unique_ptr<BurstRecord>> out;
  std::vector<RecordOp> ops;
  for (size_t i = 0; i < contents.size(); ++i) {
    DirectionState& st = *states[i];
    const size_t capacity = header_room(st.suite) + contents[i].size() + tail_room(st.suite);
    auto r = std::make_unique<BurstRecord>(BurstRecord{RecordBuffer(capacity, i % 7), {}, contents[i]});
    r->op = seal_op(st, r->buffer, contents[i], types[i % types.size()]);
    ops.push_back(r->op);
    out.push_back(std::move(r));
  }
  proc.process(ops);
  for (size_t i = 0; i < ops.size(); ++i) out[i]->op = ops[i];
  return out;
}

std::vector<std::unique_ptr<BurstRecord>> open_burst(RecordProcessor& proc, std::span<DirectionState* const> states,
                                                     const std::vector<Bytes>& records) {
  std::vector<std::unique_ptr<BurstRecord>> out;
  std::vector<RecordOp> ops;
  for (size_t i = 0; i < records.size(); ++i) {
    auto r = std::make_unique<BurstRecord>(BurstRecord{RecordBuffer(records[i].size(), i % 5), {}, {}});
    r->op = open_op(*states[i], r->buffer, records[i]);
    ops.push_back(r->op);
    out.push_back(std::move(r));
  }
  proc.process(ops);
  for (size_t i = 0; i < ops.size(); ++i) out[i]->op = ops[i];
  return out;
}

Bytes record_of(const BurstRecord& r) { return Bytes(r.op.data, r.op.data + r.op.length); }

Bytes plaintext_of(const BurstRecord& r) {
  const uint8_t* p = r.op.data + header_room(r.op.state->suite);
  return Bytes(p, p + r.op.length);
}

}  // namespace tlsburst::record::test
