// The SigV4 signer against the AWS test-suite vectors in the workplace's
// shared/testdata/vectors/sigv4 (byte-exact copies from awslabs/aws-c-auth; read in place).
// Every case directory is run, in both the header and the presigned-query form.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "blobs/sigv4_signer.hpp"

namespace reos::blobs {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  EXPECT_TRUE(in) << "missing " << p;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Case {
  SigV4Request request;  ///< as in request.txt, unsigned
  SigV4Credentials credentials;
  SigV4Scope scope;
  bool sign_body = false;
  int expires_s = 0;
};

// request.txt: "METHOD /path?query HTTP/1.1", "Name:value" lines, a blank line, the body.
Case load(const fs::path& dir) {
  Case c;
  const std::string text = read(dir / "request.txt");
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  const std::size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  c.request.method = line.substr(0, sp1);
  const std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::size_t q = target.find('?');
  c.request.canonical_uri = target.substr(0, q);
  if (q != std::string::npos) {
    std::istringstream qs(target.substr(q + 1));
    std::string pair;
    while (std::getline(qs, pair, '&')) {
      const std::size_t eq = pair.find('=');
      c.request.query.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
    }
  }
  while (std::getline(in, line) && !line.empty()) {
    const std::size_t colon = line.find(':');
    c.request.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  const std::size_t body_at = text.find("\n\n");
  const std::string body = body_at == std::string::npos ? "" : text.substr(body_at + 2);
  c.request.payload_sha256 = sha256_hex(body);

  const auto ctx = nlohmann::json::parse(read(dir / "context.json"));
  c.credentials.access_key_id = ctx["credentials"]["access_key_id"];
  c.credentials.secret_access_key = ctx["credentials"]["secret_access_key"];
  c.credentials.session_token = ctx["credentials"].value("token", "");
  c.scope.region = ctx["region"];
  c.scope.service = ctx["service"];
  const std::string ts = ctx["timestamp"];  // 2015-08-30T12:36:00Z
  c.scope.amz_date = ts.substr(0, 4) + ts.substr(5, 2) + ts.substr(8, 2) + "T" + ts.substr(11, 2) +
                     ts.substr(14, 2) + ts.substr(17, 2) + "Z";
  c.sign_body = ctx["sign_body"];
  c.expires_s = ctx["expiration_in_seconds"];
  return c;
}

std::vector<fs::path> case_dirs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(SIGV4_VECTORS))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SigV4Vectors, AllCasesArePresent) {
  EXPECT_GE(case_dirs().size(), 4u);
}

TEST(SigV4Vectors, HeaderForm) {
  for (const fs::path& dir : case_dirs()) {
    SCOPED_TRACE(dir.filename().string());
    Case c = load(dir);
    const std::string authorization = sign_headers(c.request, c.credentials, c.scope, c.sign_body);
    // The Authorization header is signed over everything but itself.
    SigV4Request unsigned_request = c.request;
    unsigned_request.headers.pop_back();
    const std::string canonical = canonical_request(unsigned_request);
    EXPECT_EQ(canonical, read(dir / "header-canonical-request.txt"));
    const std::string to_sign = string_to_sign(c.scope, canonical);
    EXPECT_EQ(to_sign, read(dir / "header-string-to-sign.txt"));
    EXPECT_EQ(signature(c.credentials.secret_access_key, c.scope, to_sign),
              read(dir / "header-signature.txt"));
    EXPECT_NE(read(dir / "header-signed-request.txt").find("Authorization:" + authorization),
              std::string::npos);
  }
}

TEST(SigV4Vectors, PresignedQueryForm) {
  for (const fs::path& dir : case_dirs()) {
    SCOPED_TRACE(dir.filename().string());
    Case c = load(dir);
    const std::string sig = presign_query(c.request, c.credentials, c.scope, c.expires_s);
    SigV4Request unsigned_request = c.request;
    unsigned_request.query.pop_back();  // X-Amz-Signature
    const std::string canonical = canonical_request(unsigned_request);
    EXPECT_EQ(canonical, read(dir / "query-canonical-request.txt"));
    EXPECT_EQ(string_to_sign(c.scope, canonical), read(dir / "query-string-to-sign.txt"));
    EXPECT_EQ(sig, read(dir / "query-signature.txt"));
    EXPECT_NE(read(dir / "query-signed-request.txt").find("X-Amz-Signature=" + sig),
              std::string::npos);
  }
}

TEST(SigV4Vectors, AWrongSecretChangesTheSignature) {
  Case c = load(case_dirs().front());
  c.credentials.secret_access_key += "x";
  sign_headers(c.request, c.credentials, c.scope, c.sign_body);
  EXPECT_EQ(
      c.request.headers.back().second.find(read(case_dirs().front() / "header-signature.txt")),
      std::string::npos);
}

TEST(SigV4, UriEncodeFollowsRfc3986) {
  EXPECT_EQ(uri_encode("a b/c~d_e-f.g*", true), "a%20b/c~d_e-f.g%2A");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(uri_encode("\xC3\xA9", false), "%C3%A9");
}

TEST(SigV4, AmzDateIsUtc) {
  EXPECT_EQ(amz_date(std::chrono::system_clock::from_time_t(1440938160)), "20150830T123600Z");
}

}  // namespace
}  // namespace reos::blobs
