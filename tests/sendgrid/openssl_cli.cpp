// The openssl CLI helper (see the header).
#include "openssl_cli.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "support/child_process.hpp"

namespace reos::test {

OpensslCli::OpensslCli() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "reos-openssl-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
}

OpensslCli::~OpensslCli() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

namespace {

/// The openssl program on PATH (run_program does not search PATH).
std::string openssl_path() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  std::size_t i = 0;
  while (i <= dirs.size()) {
    std::size_t colon = dirs.find(':', i);
    if (colon == std::string::npos) colon = dirs.size();
    const std::string candidate = dirs.substr(i, colon - i) + "/openssl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    i = colon + 1;
  }
  throw std::runtime_error("the openssl program is not on PATH");
}

}  // namespace

std::string OpensslCli::run(const std::vector<std::string>& args) {
  static const std::string program = openssl_path();
  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult r = run_program(argv);
  if (r.exit_code != 0) throw std::runtime_error("openssl " + args.front() + " failed: " + r.err);
  return r.out;
}

std::string OpensslCli::write(const std::string& name, const std::string& bytes) {
  const std::string path = dir_ + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

std::string OpensslCli::base64_file(const std::string& path) {
  std::string out = run({"base64", "-A", "-in", path});
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string OpensslCli::new_p256_key() {
  run({"ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", dir_ + "/key.pem"});
  run({"ec", "-in", dir_ + "/key.pem", "-pubout", "-outform", "DER", "-out", dir_ + "/pub.der"});
  return base64_file(dir_ + "/pub.der");
}

std::string OpensslCli::ecdsa_sign(const std::string& data) {
  const std::string in = write("data.bin", data);
  run({"dgst", "-sha256", "-sign", dir_ + "/key.pem", "-out", dir_ + "/sig.bin", in});
  return base64_file(dir_ + "/sig.bin");
}

std::string OpensslCli::hmac_sha1(const std::string& key, const std::string& data) {
  const std::string in = write("data.bin", data);
  run({"dgst", "-sha1", "-hmac", key, "-binary", "-out", dir_ + "/mac.bin", in});
  return base64_file(dir_ + "/mac.bin");
}

}  // namespace reos::test
