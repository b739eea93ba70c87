// The NSS key log format (https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/),
// which Wireshark/tshark read to decrypt captures: for TLS 1.2 one line per session,
//   CLIENT_RANDOM <64 hex digits of ClientHello.random> <96 hex digits of the master secret>
// Off by default; whoever enables it must protect the file like a private key.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "engine/common/result.hpp"
#include "handshake/crypto/key_schedule.hpp"

namespace tlsburst::handshake {

std::string key_log_line(const Random& client_random, const MasterSecret& master);

class KeyLog {
 public:
  virtual ~KeyLog() = default;
  virtual void write_line(const std::string& line) = 0;
  void log_master_secret(const Random& client_random, const MasterSecret& master) {
    write_line(key_log_line(client_random, master));
  }
};

// Appends lines to a file (created with mode 0600), flushed per line; shared by threads.
class KeyLogFile final : public KeyLog {
 public:
  static Result<std::shared_ptr<KeyLogFile>> open(const std::string& path);
  ~KeyLogFile() override;
  void write_line(const std::string& line) override;

 private:
  explicit KeyLogFile(std::FILE* f) : _file(f) {}
  std::mutex _mutex;  // control plane only: one line per handshake
  std::FILE* _file;
};

}  // namespace tlsburst::handshake
