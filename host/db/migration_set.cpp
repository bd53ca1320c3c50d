#include "db/migration_set.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "db/embedded_migrations.hpp"

namespace reos::db {
namespace {

int parse_version(const std::string& name) {
  std::size_t digits = 0;
  while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
  if (digits == 0 || digits > 9 || digits >= name.size() || name[digits] != '_') {
    throw std::runtime_error("migrations: '" + name +
                             "' is not named NNNN_description.sql (a number, then '_')");
  }
  return std::stoi(name.substr(0, digits));
}

std::vector<Migration> build_set(std::vector<std::pair<std::string, std::string>> files) {
  std::map<int, Migration> by_version;
  for (auto& [name, sql] : files) {
    Migration m;
    m.version = parse_version(name);
    m.name = name;
    m.checksum = sha256_hex(sql);
    m.sql = std::move(sql);
    auto [it, inserted] = by_version.emplace(m.version, m);
    if (!inserted) {
      throw std::runtime_error("migrations: '" + it->second.name + "' and '" + name +
                               "' share version " + std::to_string(m.version));
    }
  }
  std::vector<Migration> out;
  for (auto& [v, m] : by_version) out.push_back(std::move(m));
  return out;
}

}  // namespace

std::string sha256_hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256: OpenSSL EVP_Digest failed");
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0xf]);
  }
  return out;
}

std::vector<Migration> embedded_migration_set() {
  std::vector<std::pair<std::string, std::string>> files;
  for (const EmbeddedFile& f : embedded_migrations()) {
    files.emplace_back(std::string(f.name), std::string(f.contents));
  }
  return build_set(std::move(files));
}

std::vector<Migration> migration_set_from_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw std::runtime_error("migrations: cannot read folder " + dir + ": " + ec.message());
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry : it) {
    if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in) throw std::runtime_error("migrations: cannot read " + entry.path().string());
    files.emplace_back(entry.path().filename().string(), ss.str());
  }
  return build_set(std::move(files));
}

}  // namespace reos::db
