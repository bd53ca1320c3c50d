// hub.yaml `blobs:`: store selection, S3 settings, credentials as secret references, and
// errors as file:line:col: key.path: what.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "blobs/blob_store_factory.hpp"
#include "config/config_error.hpp"
#include "config/hub_config.hpp"

namespace reos::blobs {
namespace {

namespace fs = std::filesystem;

const char* fake_env(const char* name) {
  if (std::strcmp(name, "S3_KEY") == 0) return "AKIDCONFIG";
  if (std::strcmp(name, "S3_SECRET") == 0) return "secret-from-env";
  return nullptr;
}

struct HubFile {
  fs::path dir = fs::temp_directory_path() / ("reos-blobs-cfg-" + std::to_string(::getpid()));
  fs::path path = dir / "hub.yaml";
  explicit HubFile(const std::string& blobs_section) {
    fs::create_directories(dir);
    std::ofstream(path) << "database:\n  url: postgresql://localhost/x\n" << blobs_section;
  }
  ~HubFile() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

std::vector<std::string> errors_of(const HubFile& f) {
  try {
    config::load_hub_config(f.path.string(), {}, &fake_env);
  } catch (const config::ConfigErrors& e) {
    std::vector<std::string> out;
    for (const auto& error : e.errors()) out.push_back(error.to_string());
    return out;
  }
  return {};
}

TEST(BlobsConfig, LocalIsTheDefault) {
  HubFile f("");
  const config::HubConfig hub = config::load_hub_config(f.path.string(), {}, &fake_env);
  EXPECT_EQ(hub.blobs.store, "local");
  EXPECT_EQ(make_blob_store(hub.blobs)->describe(), "local:" + hub.blobs.dir);
}

TEST(BlobsConfig, S3WithSecretReferences) {
  HubFile f(
      "blobs:\n  store: s3\n  s3:\n    endpoint: https://s3.eu-west-1.amazonaws.com\n"
      "    bucket: my-photos\n    region: eu-west-1\n    url_style: virtual\n"
      "    access_key_id: ${S3_KEY}\n    secret_access_key: ${S3_SECRET}\n");
  const config::HubConfig hub = config::load_hub_config(f.path.string(), {}, &fake_env);
  EXPECT_EQ(hub.blobs.store, "s3");
  EXPECT_EQ(hub.blobs.s3.access_key_id, "AKIDCONFIG");
  EXPECT_EQ(hub.blobs.s3.secret_access_key, "secret-from-env");
  EXPECT_TRUE(hub.blobs.s3.virtual_hosted);
  EXPECT_EQ(make_blob_store(hub.blobs)->describe(),
            "s3:my-photos@https://s3.eu-west-1.amazonaws.com");
}

TEST(BlobsConfig, ErrorsNameFileLineAndKey) {
  HubFile f(
      "blobs:\n  store: s3\n  s3:\n    endpoint: https://s3.example.com\n"
      "    access_key_id: AKIDPLAIN\n    secret_access_key: ${MISSING}\n");
  const auto errors = errors_of(f);
  ASSERT_FALSE(errors.empty());
  const std::string all = [&] {
    std::string s;
    for (const auto& e : errors) s += e + "\n";
    return s;
  }();
  EXPECT_NE(all.find(f.path.string() + ":7:20: blobs.s3.access_key_id: must be a secret reference"),
            std::string::npos)
      << all;
  HubFile g(
      "blobs:\n  store: s3\n  s3:\n    endpoint: https://s3.example.com\n"
      "    access_key_id: ${S3_KEY}\n    secret_access_key: ${MISSING}\n");
  const auto more = errors_of(g);
  std::string text;
  for (const auto& e : more) text += e + "\n";
  EXPECT_NE(text.find(":6:5: blobs.s3: bucket is required when blobs.store is s3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(":8:24: blobs.s3.secret_access_key:"), std::string::npos) << text;
  EXPECT_EQ(text.find("secret-from-env"), std::string::npos);
}

}  // namespace
}  // namespace reos::blobs
