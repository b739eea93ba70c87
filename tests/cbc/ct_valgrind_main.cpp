// Constant-time evidence for the MAC-then-encrypt padding and MAC check, run under valgrind
// memcheck by run_ct_valgrind.py. Memcheck reports every conditional jump, conditional move and
// memory address that depends on bytes marked undefined; the secret bytes of each decrypted body
// (the MAC, the padding and padding_length, and in a second pass the whole body) are marked
// undefined right before the check, and its outputs are marked defined only afterwards.
//
//   ct_valgrind ct        cbc_mte_check over every padding length, good and bad: must be silent
//   ct_valgrind naive     a deliberately branchy check (test-only, below): must be reported
//   ct_valgrind pipeline  seal/open through an ImbArch::sse RecordProcessor: must be silent
//
// Exit status 2 means a wrong verdict (independent of memcheck).
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <valgrind/memcheck.h>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "engine/record/cbc_mac_check.hpp"
#include "engine/record/direction_state.hpp"
#include "engine/record/record_processor.hpp"

namespace tlsburst::record {
namespace {

using Bytes = std::vector<uint8_t>;

const EVP_MD* md_of(MacAlgorithm mac) {
  return mac == MacAlgorithm::hmac_sha1 ? EVP_sha1() : mac == MacAlgorithm::hmac_sha256 ? EVP_sha256() : EVP_sha384();
}

uint32_t lcg_state = 12345;
uint8_t next_byte() {
  lcg_state = lcg_state * 1103515245u + 12345u;
  return static_cast<uint8_t>(lcg_state >> 16);
}

struct Case {
  Suite suite;
  DirectionState state;
  Bytes mac_key;
};

Bytes header_of(uint64_t seq, size_t content_len) {
  Bytes h(13);
  for (int i = 0; i < 8; ++i) h[i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
  h[8] = 23, h[9] = 3, h[10] = 3;
  h[11] = static_cast<uint8_t>(content_len >> 8), h[12] = static_cast<uint8_t>(content_len);
  return h;
}

// content || HMAC || pad+1 bytes of pad.
Bytes make_body(const Case& c, size_t content_len, uint32_t pad, uint64_t seq) {
  Bytes input = header_of(seq, content_len);
  Bytes body(content_len);
  for (auto& b : body) b = next_byte();
  input.insert(input.end(), body.begin(), body.end());
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(md_of(suite_info(c.suite).mac), c.mac_key.data(), static_cast<int>(c.mac_key.size()), input.data(),
       input.size(), mac, &mac_len);
  body.insert(body.end(), mac, mac + mac_len);
  body.insert(body.end(), pad + 1, static_cast<uint8_t>(pad));
  return body;
}

// Test-only: the textbook check that Lucky Thirteen exploits. It branches on padding_length, exits
// early on the first bad byte, hashes a secret number of bytes and reads the MAC at a secret offset.
uint32_t naive_check(const Case& c, const uint8_t* public_header, const uint8_t* plain, size_t n) {
  const size_t mac_len = suite_info(c.suite).tag_len;
  const uint32_t pad = plain[n - 1];
  if (pad + mac_len + 1 > n) return 0;
  for (size_t i = 0; i <= pad; ++i) {
    if (plain[n - 1 - i] != pad) return 0;
  }
  const size_t content_len = n - mac_len - 1 - pad;
  Bytes input(public_header, public_header + 11);
  input.push_back(static_cast<uint8_t>(content_len >> 8));
  input.push_back(static_cast<uint8_t>(content_len));
  input.insert(input.end(), plain, plain + content_len);
  uint8_t mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md_of(suite_info(c.suite).mac), c.mac_key.data(), static_cast<int>(c.mac_key.size()), input.data(),
       input.size(), mac, &len);
  return CRYPTO_memcmp(mac, plain + content_len, mac_len) == 0 ? ~uint32_t{0} : 0;
}

int run_checks(std::vector<Case>& cases, bool naive) {
  int wrong = 0;
  size_t num_checks = 0;
  for (Case& c : cases) {
    const size_t mac_len = suite_info(c.suite).tag_len;
    const CbcHmacKeys& k = c.state.keys.cbc;
    for (size_t n : {32, 48, 64, 80, 96, 112, 128, 256, 272, 320, 336, 400, 512, 1040}) {
      if (n < mac_len + 1) continue;
      const size_t max_pad = std::min<size_t>(255, n - mac_len - 1);
      for (size_t pad = 0; pad <= max_pad; pad += naive ? 37 : 1) {
        const size_t content_len = n - mac_len - 1 - pad;
        const uint64_t seq = 1000 + pad;
        const Bytes header = header_of(seq, 0);
        for (int variant = 0; variant < 4; ++variant) {
          Bytes body = make_body(c, content_len, static_cast<uint32_t>(pad), seq);
          bool expect_good = true;
          if (variant == 1 && pad > 0) {  // one padding byte off
            body[n - 1 - pad] ^= 0x20;
            expect_good = false;
          } else if (variant == 2) {  // one MAC byte off
            body[content_len + mac_len / 2] ^= 0x01;
            expect_good = false;
          } else if (variant == 3) {  // padding_length too large for the body
            if (n - mac_len > 255) continue;
            body[n - 1] = static_cast<uint8_t>(n - mac_len);
            expect_good = false;
          }
          // The secret part of the decrypted body: MAC, padding and padding_length; in the last
          // variants the whole body (the position of everything is secret to the check).
          if (variant < 2) {
            VALGRIND_MAKE_MEM_UNDEFINED(body.data() + content_len, n - content_len);
          } else {
            VALGRIND_MAKE_MEM_UNDEFINED(body.data(), n);
          }
          CbcCheckResult r;
          if (naive) {
            r.good_mask = naive_check(c, header.data(), body.data(), n);
            r.content_len = static_cast<uint32_t>(content_len);
          } else {
            r = cbc_mte_check(suite_info(c.suite).mac, k.ipad_state, k.opad_state, header.data(), body.data(), n);
          }
          VALGRIND_MAKE_MEM_DEFINED(&r, sizeof r);
          ++num_checks;
          const bool good = r.good_mask == ~uint32_t{0};
          if (good != expect_good || (good && r.content_len != content_len) || (r.good_mask != 0 && !good)) {
            std::fprintf(stderr, "wrong verdict: %s n=%zu pad=%zu variant=%d mask=%08x len=%u\n",
                         std::string(suite_name(c.suite)).c_str(), n, pad, variant, r.good_mask, r.content_len);
            ++wrong;
          }
        }
      }
    }
  }
  std::printf("%s: %zu checks, %d wrong verdicts\n", naive ? "naive" : "ct", num_checks, wrong);
  return wrong == 0 ? 0 : 2;
}

int run_pipeline(RecordProcessor& proc, std::vector<Case>& cases) {
  int wrong = 0;
  for (Case& c : cases) {
    for (bool etm : {false, true}) {
      DirectionKeys dk;
      Bytes key(suite_info(c.suite).key_len, 0x11);
      dk = DirectionKeys::make(c.suite, key, {}, c.mac_key, 0);
      dk.encrypt_then_mac = etm;
      DirectionState sender, receiver;
      if (!proc.install(sender, dk).ok() || !proc.install(receiver, dk).ok()) return 2;
      std::vector<Bytes> bufs;
      std::vector<RecordOp> ops;
      for (size_t len : {0, 1, 100, 1000, 5000}) {
        bufs.emplace_back(header_room(c.suite) + len + tail_room(c.suite));
        for (size_t i = 0; i < len; ++i) bufs.back()[header_room(c.suite) + i] = static_cast<uint8_t>(i);
      }
      for (size_t i = 0; i < bufs.size(); ++i) {
        RecordOp op;
        op.state = &sender;
        op.data = bufs[i].data();
        op.capacity = static_cast<uint32_t>(bufs[i].size());
        op.length = static_cast<uint32_t>(bufs[i].size() - header_room(c.suite) - tail_room(c.suite));
        ops.push_back(op);
      }
      const std::vector<uint32_t> lens = {0, 1, 100, 1000, 5000};
      if (proc.process(ops) != ops.size()) ++wrong;
      for (RecordOp& op : ops) {
        op.state = &receiver;
        op.kind = RecordOpKind::open;
      }
      ops[2].data[30] ^= 1;  // one tampered record
      const uint32_t num_ok = proc.process(ops);
      if (num_ok != ops.size() - 1 || ops[2].status != RecordStatus::bad_record_mac) ++wrong;
      for (size_t i = 0; i < ops.size(); ++i) {
        if (i == 2) continue;
        if (ops[i].length != lens[i]) ++wrong;
        for (size_t j = 0; j < lens[i]; ++j) wrong += ops[i].data[header_room(c.suite) + j] != static_cast<uint8_t>(j);
      }
    }
  }
  std::printf("pipeline: %d wrong\n", wrong);
  return wrong == 0 ? 0 : 2;
}

}  // namespace
}  // namespace tlsburst::record

int main(int argc, char** argv) {
  using namespace tlsburst::record;
  const std::string_view mode = argc > 1 ? argv[1] : "ct";
  RecordProcessorOptions options;
  options.arch = ImbArch::sse;  // valgrind 3.19 cannot run the AVX-512 paths
  auto proc = RecordProcessor::create(options);
  if (!proc) {
    std::fprintf(stderr, "RecordProcessor::create(sse): %s\n", proc.error().message.c_str());
    return 3;
  }
  std::vector<Case> cases;
  for (Suite s : {Suite::tls12_aes_128_cbc_sha, Suite::tls12_aes_128_cbc_sha256, Suite::tls12_aes_256_cbc_sha384}) {
    Case c;
    c.suite = s;
    c.mac_key.resize(suite_info(s).mac_key_len);
    for (auto& b : c.mac_key) b = next_byte();
    Bytes key(suite_info(s).key_len, 0x22);
    if (!proc->install(c.state, DirectionKeys::make(s, key, {}, c.mac_key, 0)).ok()) return 3;
    cases.push_back(std::move(c));
  }
  if (mode == "ct") return run_checks(cases, false);
  if (mode == "naive") return run_checks(cases, true);
  if (mode == "pipeline") return run_pipeline(*proc, cases);
  std::fprintf(stderr, "usage: %s ct|naive|pipeline\n", argv[0]);
  return 3;
}
