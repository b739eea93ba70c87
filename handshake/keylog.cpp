#include "handshake/keylog.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tlsburst::handshake {

namespace {

void append_hex(std::string& out, std::span<const uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  for (uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
}

}  // namespace

std::string key_log_line(const Random& client_random, const MasterSecret& master) {
  std::string line = "CLIENT_RANDOM ";
  append_hex(line, client_random);
  line.push_back(' ');
  append_hex(line, master.bytes());
  return line;
}

Result<std::shared_ptr<KeyLogFile>> KeyLogFile::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Alert::internal_error, "key log: cannot open " + path + ": " + std::strerror(errno));
  std::FILE* f = ::fdopen(fd, "a");
  if (f == nullptr) {
    ::close(fd);
    return make_error(Alert::internal_error, "key log: fdopen failed");
  }
  return std::shared_ptr<KeyLogFile>(new KeyLogFile(f));
}

KeyLogFile::~KeyLogFile() {
  if (_file != nullptr) std::fclose(_file);
}

void KeyLogFile::write_line(const std::string& line) {
  std::lock_guard<std::mutex> lock(_mutex);
  std::fputs(line.c_str(), _file);
  std::fputc('\n', _file);
  std::fflush(_file);
}

}  // namespace tlsburst::handshake
