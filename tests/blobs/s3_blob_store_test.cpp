// S3BlobStore against the in-test S3 server, which verifies SigV4 itself.
#include "blobs/s3_blob_store.hpp"

#include <gtest/gtest.h>

#include "s3_test_server.hpp"

namespace reos::blobs {
namespace {

constexpr char kKey[] = "AKIDTEST";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYTESTKEY";

S3Settings settings_for(const test::S3TestServer& server) {
  S3Settings s;
  s.endpoint = server.endpoint();
  s.bucket = "photos";
  s.region = "eu-west-1";
  s.credentials = {kKey, kSecret, ""};
  s.backoff_base = std::chrono::milliseconds(5);
  s.backoff_cap = std::chrono::milliseconds(20);
  s.timeout = std::chrono::milliseconds(2000);
  return s;
}

TEST(S3BlobStore, PutGetHeadPathStyle) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos");
  S3BlobStore store(settings_for(server));
  EXPECT_EQ(store.object_url("a/b"), server.endpoint() + "/photos/a/b");
  EXPECT_FALSE(store.get("sha256/abc").has_value());
  EXPECT_FALSE(store.exists("sha256/abc"));
  const std::string bytes("\x89PNG\r\n\x1a\n\x00\x01", 10);
  store.put("sha256/abc", bytes, "image/png");
  ASSERT_TRUE(server.object("sha256/abc").has_value());
  EXPECT_EQ(server.object("sha256/abc")->data, bytes);
  const auto blob = store.get("sha256/abc");
  ASSERT_TRUE(blob.has_value());
  EXPECT_EQ(blob->data, bytes);
  EXPECT_EQ(blob->content_type, "image/png");
  const auto info = store.head("sha256/abc");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, bytes.size());
  EXPECT_EQ(server.rejected_signatures.load(), 0);
}

TEST(S3BlobStore, VirtualHostedWithPrefixAndSessionToken) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos", "session-token-123");
  S3Settings s = settings_for(server);
  s.endpoint = "http://localhost:" + std::to_string(server.port());
  s.virtual_hosted = true;
  s.prefix = "reos/";
  s.credentials.session_token = "session-token-123";
  S3BlobStore store(s);
  EXPECT_EQ(store.object_url("k"),
            "http://photos.localhost:" + std::to_string(server.port()) + "/reos/k");
  store.put("k", "hello", "text/plain");
  EXPECT_EQ(store.get("k")->data, "hello");
  EXPECT_TRUE(server.object("reos/k").has_value());
  EXPECT_GE(server.virtual_hosted.load(), 2);

  s.credentials.session_token = "wrong";
  S3BlobStore bad(s);
  try {
    bad.put("k", "x", "text/plain");
    FAIL() << "a wrong session token must be refused";
  } catch (const BlobError& e) {
    EXPECT_NE(std::string(e.what()).find("InvalidToken"), std::string::npos) << e.what();
  }
}

TEST(S3BlobStore, WrongSecretIsSignatureDoesNotMatchAndNotRetried) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos");
  S3Settings s = settings_for(server);
  s.credentials.secret_access_key = "not-the-secret";
  S3BlobStore store(s);
  try {
    store.put("k", "x", "text/plain");
    FAIL() << "expected a BlobError";
  } catch (const BlobError& e) {
    EXPECT_NE(std::string(e.what()).find("403 SignatureDoesNotMatch"), std::string::npos)
        << e.what();
    EXPECT_FALSE(e.retryable());
  }
  EXPECT_EQ(store.attempts(), 1);
  EXPECT_EQ(server.rejected_signatures.load(), 1);
  EXPECT_EQ(server.object_count(), 0u);
}

TEST(S3BlobStore, WrongRegionAndUnknownKeyAreRefused) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos");
  S3Settings s = settings_for(server);
  s.region = "us-east-1";
  EXPECT_THROW(S3BlobStore(s).put("k", "x", "t/t"), BlobError);
  s = settings_for(server);
  s.credentials.access_key_id = "AKIDOTHER";
  try {
    S3BlobStore(s).get("k");
    FAIL();
  } catch (const BlobError& e) {
    EXPECT_NE(std::string(e.what()).find("InvalidAccessKeyId"), std::string::npos);
  }
}

TEST(S3BlobStore, ServerStaleClockIsRefused) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos");
  S3Settings s = settings_for(server);
  s.max_retries = 0;
  s.now = [] { return std::chrono::system_clock::now() - std::chrono::hours(1); };
  try {
    S3BlobStore(s).put("k", "x", "t/t");
    FAIL();
  } catch (const BlobError& e) {
    EXPECT_NE(std::string(e.what()).find("RequestTimeTooSkewed"), std::string::npos);
  }
}

TEST(S3BlobStore, RetriesInternalErrorAndSlowDown) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos");
  S3BlobStore store(settings_for(server));
  server.faults.internal_error = 1;
  server.faults.slow_down = 2;
  store.put("k", "payload", "text/plain");
  EXPECT_EQ(store.attempts(), 4);
  EXPECT_EQ(server.object("k")->data, "payload");
}

TEST(S3BlobStore, GivesUpAfterMaxRetriesAsRetryable) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos");
  S3Settings s = settings_for(server);
  s.max_retries = 2;
  S3BlobStore store(s);
  server.faults.slow_down = 100;
  try {
    store.get("k");
    FAIL();
  } catch (const BlobError& e) {
    EXPECT_TRUE(e.retryable());
    EXPECT_NE(std::string(e.what()).find("SlowDown"), std::string::npos);
  }
  EXPECT_EQ(store.attempts(), 3);
}

TEST(S3BlobStore, SlowServerTimesOutAndRetries) {
  test::S3TestServer server(kKey, kSecret, "eu-west-1", "photos");
  S3Settings s = settings_for(server);
  s.timeout = std::chrono::milliseconds(150);
  s.max_retries = 1;
  S3BlobStore store(s);
  server.faults.slow_ms = 400;
  EXPECT_THROW(store.put("k", "x", "t/t"), BlobError);
  EXPECT_EQ(store.attempts(), 2);
  server.faults.slow_ms = 0;
  store.put("k", "x", "t/t");
  EXPECT_EQ(server.object("k")->data, "x");
}

}  // namespace
}  // namespace reos::blobs
