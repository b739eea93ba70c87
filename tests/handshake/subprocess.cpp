#include "tests/handshake/subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace tlsburst::handshake::test {

Subprocess::Subprocess(std::vector<std::string> argv) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return;
  if (pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (rc != 0) {
    ::close(in[1]);
    ::close(out[0]);
    return;
  }
  _pid = pid;
  _stdin = in[1];
  _stdout = out[0];
  fcntl(_stdout, F_SETFL, fcntl(_stdout, F_GETFL) | O_NONBLOCK);
  signal(SIGPIPE, SIG_IGN);
}

Subprocess::~Subprocess() {
  kill();
  if (_stdin >= 0) ::close(_stdin);
  if (_stdout >= 0) ::close(_stdout);
}

void Subprocess::write_stdin(const std::string& data) {
  if (_stdin < 0) return;
  size_t at = 0;
  while (at < data.size()) {
    const ssize_t n = ::write(_stdin, data.data() + at, data.size() - at);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      return;
    }
    at += static_cast<size_t>(n);
  }
}

void Subprocess::close_stdin() {
  if (_stdin >= 0) ::close(_stdin);
  _stdin = -1;
}

void Subprocess::read_available(int timeout_ms) {
  if (_stdout < 0) return;
  pollfd p{_stdout, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return;
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(_stdout, buf, sizeof buf);
    if (n > 0) {
      _output.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {  // EOF
      ::close(_stdout);
      _stdout = -1;
    }
    return;
  }
}

bool Subprocess::wait_for_output(const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (_output.find(needle) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || _stdout < 0) return _output.find(needle) != std::string::npos;
    read_available(static_cast<int>(std::min<long>(left.count(), 50)));
  }
  return true;
}

int Subprocess::wait(std::chrono::milliseconds timeout) {
  if (_pid <= 0) return -1;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!_exited) {
    int status = 0;
    const pid_t r = ::waitpid(_pid, &status, WNOHANG);
    if (r == _pid) {
      _exited = true;
      _status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill();
      return -1;
    }
    read_available(20);
  }
  for (int i = 0; i < 50 && _stdout >= 0; ++i) read_available(10);  // drain what is left
  return _status;
}

int Subprocess::stop(int signal, std::chrono::milliseconds timeout) {
  if (_pid > 0 && !_exited) ::kill(_pid, signal);
  return wait(timeout);
}

void Subprocess::kill() {
  if (_pid <= 0 || _exited) return;
  ::kill(_pid, SIGKILL);
  int status = 0;
  ::waitpid(_pid, &status, 0);
  _exited = true;
  _status = -1;
}

std::string find_tool(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= p.size()) {
    const size_t end = p.find(':', start);
    const std::string dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string candidate = dir + "/" + name;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

}  // namespace tlsburst::handshake::test
