// openssl_cli.hpp — signatures made by the openssl command-line tool, independently of the
// plugins' own OpenSSL library calls: a fresh P-256 key per test run (ecparam -genkey), ECDSA
// signatures (dgst -sha256 -sign) and HMAC-SHA1 (dgst -sha1 -hmac). Shared by tests/sendgrid
// and tests/twilio. Each object works in its own temporary directory, removed at the end.
#pragma once

#include <string>
#include <vector>

namespace reos::test {

class OpensslCli {
 public:
  OpensslCli();
  ~OpensslCli();
  OpensslCli(const OpensslCli&) = delete;
  OpensslCli& operator=(const OpensslCli&) = delete;

  /// Generates a new prime256v1 key; returns its public half as base64 DER
  /// (SubjectPublicKeyInfo), the form SendGrid shows.
  std::string new_p256_key();
  /// base64 DER ECDSA-SHA256 signature of `data` with the key from new_p256_key().
  std::string ecdsa_sign(const std::string& data);
  /// base64 HMAC-SHA1 of `data` under `key`.
  std::string hmac_sha1(const std::string& key, const std::string& data);

 private:
  std::string run(const std::vector<std::string>& args);
  std::string write(const std::string& name, const std::string& bytes);
  std::string base64_file(const std::string& path);
  std::string dir_;
};

}  // namespace reos::test
