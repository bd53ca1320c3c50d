#include "support/http_client.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace reos::test {
namespace {

struct Upload {
  const std::string* body;
  std::size_t offset = 0;
};

std::size_t write_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

std::size_t write_header(char* data, std::size_t size, std::size_t n, void* user) {
  std::string line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
  }
  return size * n;
}

std::size_t read_upload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  // Small pieces, so a chunked upload really arrives as many chunks.
  std::size_t len = std::min({size * n, up->body->size() - up->offset, std::size_t{4096}});
  std::memcpy(buffer, up->body->data() + up->offset, len);
  up->offset += len;
  return len;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace

std::string url(int port, const std::string& path) {
  return "http://127.0.0.1:" + std::to_string(port) + path;
}

ClientResponse perform(const ClientRequest& req) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  ClientResponse out;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const auto& h : req.headers) headers.reset(curl_slist_append(headers.release(), h.c_str()));
  Upload upload{&req.body};
  char error[CURL_ERROR_SIZE] = {0};

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req.timeout_ms);
  curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &write_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &out.headers);
  if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (req.method != "GET" || !req.body.empty()) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (req.chunked) {
      curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);  // no size given: curl sends chunked
      curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_upload);
      curl_easy_setopt(c, CURLOPT_READDATA, &upload);
      headers.reset(curl_slist_append(headers.release(), "Transfer-Encoding: chunked"));
    } else {
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

  out.curl_code = curl_easy_perform(c);
  out.curl_error = error;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

ClientResponse get(int port, const std::string& path, std::vector<std::string> headers) {
  ClientRequest req;
  req.url = url(port, path);
  req.headers = std::move(headers);
  return perform(req);
}

}  // namespace reos::test
