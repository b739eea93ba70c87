#include "handshake/crypto/transcript.hpp"

#include <openssl/evp.h>

namespace tlsburst::handshake {

Status Transcript::add(std::span<const uint8_t> message) {
  if (_keep) _messages.insert(_messages.end(), message.begin(), message.end());
  if (_ctx && EVP_DigestUpdate(_ctx.get(), message.data(), message.size()) != 1) {
    return openssl_error(Alert::internal_error, "transcript: EVP_DigestUpdate");
  }
  return Status::success();
}

Status Transcript::select_hash(HashAlgorithm hash, bool keep_messages) {
  if (_hash) return make_error(Alert::internal_error, "transcript: hash already selected");
  _ctx.reset(EVP_MD_CTX_new());
  if (!_ctx || EVP_DigestInit_ex(_ctx.get(), evp_md(hash), nullptr) != 1 ||
      EVP_DigestUpdate(_ctx.get(), _messages.data(), _messages.size()) != 1) {
    _ctx.reset();
    return openssl_error(Alert::internal_error, "transcript: EVP_DigestInit");
  }
  _hash = hash;
  if (!keep_messages) release_messages();
  return Status::success();
}

void Transcript::release_messages() {
  _keep = false;
  std::vector<uint8_t>().swap(_messages);
}

Result<HashValue> Transcript::current_hash() const {
  if (!_ctx) return make_error(Alert::internal_error, "transcript: no hash selected");
  EvpMdCtxPtr copy(EVP_MD_CTX_new());
  HashValue out;
  unsigned int len = 0;
  if (!copy || EVP_MD_CTX_copy_ex(copy.get(), _ctx.get()) != 1 ||
      EVP_DigestFinal_ex(copy.get(), out.bytes.data(), &len) != 1) {
    return openssl_error(Alert::internal_error, "transcript: EVP_DigestFinal");
  }
  out.len = len;
  return out;
}

}  // namespace tlsburst::handshake
