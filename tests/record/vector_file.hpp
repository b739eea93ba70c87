// Reader of the test-vector files in tests/record/vectors/: blocks of `name = value` lines
// separated by blank lines; `#` starts a comment line; a line that begins with whitespace
// continues the previous value (long hex).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/record/test_support.hpp"

namespace tlsburst::record::test {

struct VectorBlock {
  int line = 0;  // first line of the block, for messages
  std::map<std::string, std::string> fields;

  bool has(const std::string& key) const { return fields.count(key) != 0; }
  // The field's text, or "" when absent.
  std::string text(const std::string& key) const;
  std::optional<Bytes> hex(const std::string& key) const;
  std::optional<uint64_t> number(const std::string& key) const;
};

struct VectorFile {
  std::string path;
  std::vector<VectorBlock> blocks;
  std::string error;  // empty when the file was read and parsed
};

VectorFile read_vector_file(const std::string& path);

// The directory holding the vector files: TLSBURST_RECORD_VECTOR_DIR from the environment, else the
// compile-time default meson passes.
std::string vector_dir();

}  // namespace tlsburst::record::test
