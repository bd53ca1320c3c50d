#include "signing.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "support/child_process.hpp"
#include "webhook_signature.hpp"

namespace reos::test {
std::string timestamp_now(long offset_s) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return std::to_string(now + offset_s);
}

std::string openssl_signature(const std::string& whsec, const std::string& id,
                              const std::string& timestamp, const std::string& body) {
  // The key goes in as hex from `base64 -d` of the secret, not from our decoder.
  const std::string b64 = whsec.substr(whsec.rfind('_') + 1);
  const RunResult key = run_program(
      {"/bin/sh", "-c", "printf '%s' '" + b64 + "' | base64 -d | od -An -tx1 | tr -d ' \\n'"});
  EXPECT_EQ(key.exit_code, 0) << key.err;
  const auto file = std::filesystem::temp_directory_path() /
                    ("reos-sw-" + std::to_string(::getpid()) + "-" + id + ".txt");
  std::ofstream(file, std::ios::binary) << id << "." << timestamp << "." << body;
  const RunResult mac = run_program({"/bin/sh", "-c",
                                     "openssl dgst -sha256 -mac HMAC -macopt hexkey:" + key.out +
                                         " -binary '" + file.string() + "' | base64 -w0"});
  std::filesystem::remove(file);
  EXPECT_EQ(mac.exit_code, 0) << mac.err;
  return "v1," + mac.out;
}

std::vector<std::string> signed_headers(const std::string& whsec, const std::string& id,
                                        const std::string& body, long offset_s) {
  const std::string ts = timestamp_now(offset_s);
  const std::string key = *standard_webhooks::decode_secret(whsec);
  return {"webhook-id: " + id, "webhook-timestamp: " + ts,
          "webhook-signature: " + standard_webhooks::sign(key, id, ts, body),
          "Content-Type: application/json"};
}

}  // namespace reos::test
