// Integrity of the CBC open path: every single-byte modification of a record's IV, ciphertext,
// MAC, padding or header is rejected with bad_record_mac (decode_error for the length field),
// no plaintext is released, and short or misaligned records are rejected without reading outside
// the record (each one sits at the very end of its own heap allocation, for AddressSanitizer).
#include <gtest/gtest.h>

#include <memory>

#include "tests/cbc/cbc_reference.hpp"
#include "tests/cbc/cbc_test_support.hpp"

namespace tlsburst::record::test {
namespace {

using Param = std::tuple<Suite, bool>;

class CbcTamperTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    proc = make_processor(ImbArch::auto_detect);
    ASSERT_TRUE(proc);
    rng = std::make_unique<Rng>(derive_seed(test_seed(), cbc_case_id(suite(), etm()) + "tamper"));
    peer = make_peer(*proc, suite(), etm(), *rng);
  }
  Suite suite() const { return std::get<0>(GetParam()); }
  bool etm() const { return std::get<1>(GetParam()); }

  // Opens every record on a fresh receiver at `seq`, in bursts; returns the statuses.
  std::vector<RecordStatus> open_all(const std::vector<Bytes>& records, uint64_t seq,
                                     const Bytes* secret = nullptr) {
    std::vector<RecordStatus> out;
    for (size_t base = 0; base < records.size(); base += 128) {
      const size_t n = std::min<size_t>(128, records.size() - base);
      std::vector<std::unique_ptr<DirectionState>> receivers;
      std::vector<DirectionState*> states;
      for (size_t i = 0; i < n; ++i) {
        receivers.push_back(std::make_unique<DirectionState>());
        EXPECT_TRUE(proc->install(*receivers.back(), peer->keys.direction_keys(seq)).ok());
        states.push_back(receivers.back().get());
      }
      std::vector<Bytes> slice(records.begin() + base, records.begin() + base + n);
      auto opened = open_burst(*proc, states, slice);
      for (auto& r : opened) {
        out.push_back(r->op.status);
        if (secret != nullptr && r->op.status != RecordStatus::ok) {
          const size_t body = r->op.capacity - 21;
          EXPECT_FALSE(resembles(std::span<const uint8_t>(r->op.data + 21, std::min(body, secret->size())), *secret))
              << "a rejected record left its plaintext in the buffer";
        }
      }
    }
    return out;
  }

  std::optional<RecordProcessor> proc;
  std::unique_ptr<Rng> rng;
  std::unique_ptr<CbcPeer> peer;
};

TEST_P(CbcTamperTest, EverySingleByteModificationIsRejected) {
  for (size_t len : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{31}, size_t{100}, size_t{700}}) {
    const Bytes content = rng->bytes(len);
    const uint64_t seq = rng->below(1000);
    for (uint32_t pad : {valid_padding_lens(peer->keys, len).front(), valid_padding_lens(peer->keys, len).back()}) {
      const Bytes good = ref_seal(peer->keys, seq, 23, content, pad, rng->bytes(16));
      ASSERT_EQ(open_all({good}, seq)[0], RecordStatus::ok);
      std::vector<Bytes> bad;
      std::vector<size_t> where;
      for (size_t i = 0; i < good.size(); ++i) {
        if (i == 3 || i == 4) continue;  // the length field: decode_error, below
        for (uint8_t delta : {uint8_t{0x01}, uint8_t{0x80}, static_cast<uint8_t>(rng->between(2, 255))}) {
          Bytes b = good;
          b[i] ^= delta;
          bad.push_back(std::move(b));
          where.push_back(i);
        }
      }
      const auto statuses = open_all(bad, seq, &content);
      for (size_t k = 0; k < bad.size(); ++k) {
        ASSERT_EQ(statuses[k], RecordStatus::bad_record_mac) << "len " << len << " pad " << pad << " byte "
                                                             << where[k] << " of " << good.size();
      }
      Bytes b = good;
      b[4] ^= 0x10;
      EXPECT_EQ(open_all({b}, seq)[0], RecordStatus::decode_error);
    }
  }
}

// Bodies with a correct MAC but malformed padding: each is refused like a bad MAC.
TEST_P(CbcTamperTest, MalformedPaddingWithAuthenticMacIsRejected) {
  const size_t mac_len = cbc_mac_len(suite());
  const uint64_t seq = 42;
  std::vector<Bytes> bad;
  for (size_t len : {size_t{0}, size_t{3}, size_t{48}, size_t{500}}) {
    const Bytes content = rng->bytes(len);
    Bytes mac;
    if (!etm()) {
      Bytes input = ref_pseudo_header(seq, 23, 0x0303, static_cast<uint16_t>(len));
      input.insert(input.end(), content.begin(), content.end());
      mac = ref_hmac(suite(), peer->keys.mac_key, input);
    }
    for (uint32_t pad : valid_padding_lens(peer->keys, len)) {
      if (pad == 0) continue;
      Bytes body = content;
      body.insert(body.end(), mac.begin(), mac.end());
      body.insert(body.end(), pad + 1, static_cast<uint8_t>(pad));
      // One padding byte off, at the first, a middle and the last-but-one position.
      for (size_t at : {body.size() - 1 - pad, body.size() - 1 - pad / 2 - 1, body.size() - 2}) {
        Bytes b = body;
        b[at] ^= 0x04;
        bad.push_back(ref_seal_body(peer->keys, seq, 23, b, rng->bytes(16)));
      }
    }
    // padding_length beyond what the body can hold (pad + 1 [+ MAC] > body), all bytes equal to it.
    Bytes body = content;
    body.insert(body.end(), mac.begin(), mac.end());
    body.resize((body.size() + 1 + 15) / 16 * 16);
    const size_t claim = body.size() - (etm() ? 0 : mac_len);
    if (claim <= 255) {
      std::fill(body.begin() + static_cast<ptrdiff_t>(len + mac.size()), body.end(), static_cast<uint8_t>(claim));
      bad.push_back(ref_seal_body(peer->keys, seq, 23, body, rng->bytes(16)));
    }
  }
  ASSERT_FALSE(bad.empty());
  for (RecordStatus st : open_all(bad, seq)) EXPECT_EQ(st, RecordStatus::bad_record_mac);
}

// Every fragment length from 0 up to a few blocks past the minimum, with random contents; the
// record ends exactly at the end of its allocation. Nothing is accepted: the lengths that are
// well formed carry random bytes, which do not authenticate.
TEST_P(CbcTamperTest, ShortAndMisalignedRecordsAreRejectedWithinBounds) {
  const size_t mac_len = cbc_mac_len(suite());
  const size_t max_len = 16 + mac_len + 16 * 4 + 16;
  for (size_t fragment_len = 0; fragment_len <= max_len; ++fragment_len) {
    const size_t len = 5 + fragment_len;
    std::unique_ptr<uint8_t[]> buf(new uint8_t[len]);
    rng->fill(std::span<uint8_t>(buf.get(), len));
    buf[0] = 23;
    buf[1] = 3;
    buf[2] = 3;
    buf[3] = static_cast<uint8_t>(fragment_len >> 8);
    buf[4] = static_cast<uint8_t>(fragment_len);
    RecordOp op;
    op.state = &peer->receiver;
    op.data = buf.get();
    op.capacity = static_cast<uint32_t>(len);
    op.length = static_cast<uint32_t>(len);
    op.kind = RecordOpKind::open;
    EXPECT_EQ(run_one(*proc, op), RecordStatus::bad_record_mac) << "fragment " << fragment_len;
  }
  // A header alone, and a record shorter than its header.
  for (size_t len : {size_t{5}, size_t{4}, size_t{0}}) {
    std::unique_ptr<uint8_t[]> buf(new uint8_t[std::max<size_t>(len, 1)]{});
    RecordOp op;
    op.state = &peer->receiver;
    op.data = buf.get();
    op.capacity = static_cast<uint32_t>(len);
    op.length = static_cast<uint32_t>(len);
    op.kind = RecordOpKind::open;
    EXPECT_EQ(run_one(*proc, op), len == 5 ? RecordStatus::bad_record_mac : RecordStatus::decode_error);
  }
}

std::vector<Param> params() {
  std::vector<Param> out;
  for (Suite s : cbc_suites()) {
    for (bool etm : {false, true}) out.emplace_back(s, etm);
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(CbcSuites, CbcTamperTest, ::testing::ValuesIn(params()),
                         [](const ::testing::TestParamInfo<Param>& info) {
                           return cbc_case_id(std::get<0>(info.param), std::get<1>(info.param));
                         });

}  // namespace
}  // namespace tlsburst::record::test
