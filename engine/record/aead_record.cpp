#include "engine/record/aead_record.hpp"

namespace tlsburst::record {

bool aead_prepare(RecordOp& op, BurstItem& item) noexcept {
  const SuiteInfo& info = suite_info(op.state->suite);
  const bool seal = op.kind == RecordOpKind::seal;
  const bool gcm = info.family == CipherFamily::aes_gcm;
  if (info.version == ProtocolVersion::tls13) {
    if (gcm) {
      return seal ? prepare_seal<ProtocolVersion::tls13, CipherFamily::aes_gcm>(op, item)
                  : prepare_open<ProtocolVersion::tls13, CipherFamily::aes_gcm>(op, item);
    }
    return seal ? prepare_seal<ProtocolVersion::tls13, CipherFamily::chacha20_poly1305>(op, item)
                : prepare_open<ProtocolVersion::tls13, CipherFamily::chacha20_poly1305>(op, item);
  }
  if (gcm) {
    return seal ? prepare_seal<ProtocolVersion::tls12, CipherFamily::aes_gcm>(op, item)
                : prepare_open<ProtocolVersion::tls12, CipherFamily::aes_gcm>(op, item);
  }
  return seal ? prepare_seal<ProtocolVersion::tls12, CipherFamily::chacha20_poly1305>(op, item)
              : prepare_open<ProtocolVersion::tls12, CipherFamily::chacha20_poly1305>(op, item);
}

void aead_finish(BurstItem& item) noexcept {
  if (item.op->kind == RecordOpKind::seal) {
    finish_seal(item);
  } else if (is_tls13(item.state->suite)) {
    finish_open<ProtocolVersion::tls13>(item);
  } else {
    finish_open<ProtocolVersion::tls12>(item);
  }
}

}  // namespace tlsburst::record
