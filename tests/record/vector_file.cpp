#include "tests/record/vector_file.hpp"

#include <cstdlib>
#include <fstream>

#ifndef TLSBURST_RECORD_VECTOR_DIR
#error "meson must define TLSBURST_RECORD_VECTOR_DIR (the tests/record/vectors directory)"
#endif

namespace tlsburst::record::test {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::string VectorBlock::text(const std::string& key) const {
  auto it = fields.find(key);
  return it == fields.end() ? std::string() : it->second;
}

std::optional<Bytes> VectorBlock::hex(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end()) return std::nullopt;
  return from_hex(it->second);
}

std::optional<uint64_t> VectorBlock::number(const std::string& key) const {
  auto it = fields.find(key);
  if (it == fields.end() || it->second.empty()) return std::nullopt;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(it->second.c_str(), &end, 0);
  if (*end != '\0') return std::nullopt;
  return static_cast<uint64_t>(v);
}

VectorFile read_vector_file(const std::string& path) {
  VectorFile file;
  file.path = path;
  std::ifstream in(path);
  if (!in) {
    file.error = "cannot open " + path;
    return file;
  }
  std::string line;
  std::string last_key;
  VectorBlock current;
  bool in_block = false;
  int line_no = 0;
  auto close_block = [&] {
    if (in_block) file.blocks.push_back(std::move(current));
    current = VectorBlock{};
    in_block = false;
    last_key.clear();
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string t = trim(line);
    if (t.empty()) {
      close_block();
      continue;
    }
    if (t[0] == '#') continue;
    if (line[0] == ' ' || line[0] == '\t') {
      if (!in_block || last_key.empty()) {
        file.error = path + ":" + std::to_string(line_no) + ": continuation line outside a field";
        return file;
      }
      current.fields[last_key] += t;
      continue;
    }
    const size_t eq = t.find('=');
    if (eq == std::string::npos) {
      file.error = path + ":" + std::to_string(line_no) + ": expected 'name = value'";
      return file;
    }
    const std::string key = trim(t.substr(0, eq));
    if (!in_block) {
      in_block = true;
      current.line = line_no;
    }
    if (current.fields.count(key) != 0) {
      file.error = path + ":" + std::to_string(line_no) + ": duplicate field '" + key + "'";
      return file;
    }
    current.fields[key] = trim(t.substr(eq + 1));
    last_key = key;
  }
  close_block();
  return file;
}

std::string vector_dir() {
  const char* env = std::getenv("TLSBURST_RECORD_VECTOR_DIR");
  if (env != nullptr && *env != '\0') return env;
  return TLSBURST_RECORD_VECTOR_DIR;
}

}  // namespace tlsburst::record::test
