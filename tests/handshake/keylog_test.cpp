// The NSS key log: our server's line equals the one `openssl s_client -keylogfile` writes for the
// same connection, and tshark decrypts a live capture of the connection with our file (and not
// without it).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "handshake/keylog.hpp"
#include "tests/handshake/socket_peer.hpp"
#include "tests/handshake/subprocess.hpp"
#include "tests/handshake/test_support.hpp"

namespace tlsburst::handshake {
namespace {

using namespace std::chrono_literals;
using test::find_tool;
using test::pki_path;
using test::Subprocess;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  }
  return out;
}

TEST(KeyLogTest, FileHasModeAndFormat) {
  const std::string path = test::pki_dir() + "/keylog-format.txt";
  auto log = KeyLogFile::open(path);
  ASSERT_TRUE(log.ok());
  auto pair = test::make_handshake_pair(test::default_client_config(), [&] {
    auto c = test::default_server_config();
    c->key_log = *log;
    return c;
  }());
  ASSERT_TRUE(test::pump(*pair.client, *pair.server));
  const auto lines = lines_of(read_file(path), "CLIENT_RANDOM ");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].substr(14, 64), test::to_hex(pair.client->info().client_random));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

class TsharkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (find_tool("tshark").empty() || find_tool("openssl").empty()) GTEST_SKIP() << "tshark or openssl missing";
  }
};

TEST_F(TsharkTest, KeyLogDecryptsACapture) {
  const std::string dir = test::pki_dir();
  const std::string our_log = dir + "/tlsburst.keys";
  const std::string their_log = dir + "/s_client.keys";
  const std::string capture = dir + "/capture.pcapng";
  test::Listener listener;
  const std::string port = std::to_string(listener.port());

  Subprocess tshark({"tshark", "-i", "lo", "-f", "tcp port " + port, "-w", capture});
  if (!tshark.wait_for_output("Capturing on", 10s)) GTEST_SKIP() << "cannot capture on lo: " << tshark.output();
  std::this_thread::sleep_for(300ms);

  auto config = test::default_server_config();
  auto log = KeyLogFile::open(our_log);
  ASSERT_TRUE(log.ok());
  config->key_log = *log;
  test::PeerScript script;
  script.until = "\n";
  script.reply = "pong from tlsburst\n";
  test::PeerRun run;
  std::thread server([&] { run = test::serve_one(listener, config, script); });
  Subprocess client({"openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2", "-cipher",
                     "ECDHE-RSA-AES256-GCM-SHA384", "-CAfile", pki_path("ca.pem"), "-ign_eof", "-keylogfile", their_log});
  client.write_stdin("ping from s_client\n");
  server.join();
  client.wait(10s);
  ASSERT_TRUE(run.established) << run.error;
  std::this_thread::sleep_for(500ms);
  tshark.stop(SIGINT, 10s);

  // The same line as OpenSSL's own key log for this connection.
  const auto ours = lines_of(read_file(our_log), "CLIENT_RANDOM ");
  const auto theirs = lines_of(read_file(their_log), "CLIENT_RANDOM ");
  ASSERT_EQ(ours.size(), 1u);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(ours[0], theirs[0]);

  auto follow = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"tshark", "-r", capture, "-d", "tcp.port==" + port + ",tls", "-q", "-z",
                                     "follow,tls,ascii,0"};
    args.insert(args.end(), extra.begin(), extra.end());
    Subprocess p(args);
    p.wait(30s);
    return p.output();
  };
  const std::string decrypted = follow({"-o", "tls.keylog_file:" + our_log});
  EXPECT_NE(decrypted.find("ping from s_client"), std::string::npos) << decrypted;
  EXPECT_NE(decrypted.find("pong from tlsburst"), std::string::npos) << decrypted;
  const std::string opaque = follow({});
  EXPECT_EQ(opaque.find("ping from s_client"), std::string::npos) << "control: no plaintext without the key log";
}

}  // namespace
}  // namespace tlsburst::handshake
