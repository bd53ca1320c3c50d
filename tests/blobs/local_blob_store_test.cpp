// LocalBlobStore on a real temporary directory.
#include "blobs/local_blob_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

namespace reos::blobs {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() /
                  ("reos-blobs-" + std::to_string(::getpid()) + "-" +
                   std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

TEST(LocalBlobStore, PutGetHeadRoundTrip) {
  TempDir dir;
  LocalBlobStore store(dir.path.string());
  EXPECT_FALSE(store.exists("photos/ab/cd"));
  EXPECT_FALSE(store.get("photos/ab/cd").has_value());
  const std::string bytes("\xFF\xD8\x00binary\x00", 10);
  store.put("photos/ab/cd", bytes, "image/jpeg");
  const auto blob = store.get("photos/ab/cd");
  ASSERT_TRUE(blob.has_value());
  EXPECT_EQ(blob->data, bytes);
  EXPECT_EQ(blob->content_type, "image/jpeg");
  const auto info = store.head("photos/ab/cd");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, bytes.size());
  EXPECT_EQ(info->content_type, "image/jpeg");
}

TEST(LocalBlobStore, ReplaceLeavesNoTemporaryFiles) {
  TempDir dir;
  LocalBlobStore store(dir.path.string());
  store.put("k", "one", "text/plain");
  store.put("k", "two", "text/csv");
  EXPECT_EQ(store.get("k")->data, "two");
  EXPECT_EQ(store.get("k")->content_type, "text/csv");
  for (const auto& e : fs::recursive_directory_iterator(dir.path))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(LocalBlobStore, ConcurrentWritersNeverExposeAPartialObject) {
  TempDir dir;
  LocalBlobStore store(dir.path.string());
  const std::string a(200000, 'a'), b(200000, 'b');
  store.put("k", a, "x/a");
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; i < 50; ++i) store.put("k", i % 2 ? a : b, "x/y");
    stop = true;
  });
  while (!stop) {
    const auto blob = store.get("k");
    ASSERT_TRUE(blob.has_value());
    ASSERT_TRUE(blob->data == a || blob->data == b);
  }
  writer.join();
}

TEST(LocalBlobStore, RefusesKeysThatEscapeTheRoot) {
  TempDir dir;
  LocalBlobStore store(dir.path.string());
  for (const char* bad : {"", "../x", "a/../../x", "/abs", "a//b", "a/", ".hidden", "a b", "a\\b"})
    EXPECT_THROW(store.put(bad, "x", "text/plain"), std::invalid_argument) << bad;
  EXPECT_FALSE(fs::exists(dir.path.parent_path() / "x.blob"));
}

}  // namespace
}  // namespace reos::blobs
