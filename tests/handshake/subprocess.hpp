// A child process for interop tests (openssl, gnutls-cli, tshark): stdin pipe, stdout and
// stderr captured together, bounded waits, and a kill at the latest on destruction.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace tlsburst::handshake::test {

class Subprocess {
 public:
  explicit Subprocess(std::vector<std::string> argv);
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  bool started() const { return _pid > 0; }
  void write_stdin(const std::string& data);
  void close_stdin();
  // Reads available output for up to `timeout`; returns when `needle` appears (or on timeout/EOF).
  bool wait_for_output(const std::string& needle, std::chrono::milliseconds timeout);
  // Waits for the exit (reading output meanwhile); kills after `timeout`. Returns the exit status
  // (-1 when killed or not started).
  int wait(std::chrono::milliseconds timeout);
  void kill();
  // Sends `signal` (SIGINT, SIGTERM) and waits up to `timeout` for the exit, then kills.
  int stop(int signal, std::chrono::milliseconds timeout);
  const std::string& output() const { return _output; }

 private:
  void read_available(int timeout_ms);
  pid_t _pid = -1;
  int _stdin = -1;
  int _stdout = -1;
  bool _exited = false;
  int _status = -1;
  std::string _output;
};

// The full path of a tool, or empty when it is not installed.
std::string find_tool(const std::string& name);

}  // namespace tlsburst::handshake::test
