// A feed file server for the file_feed tests: GET /feeds/{name} with Range support
// (206 + Content-Range, 416 past the end; RFC 9110 §14), an ETag per version, and faults
// (ignore Range, 503 once).
#pragma once

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "http/router.hpp"
#include "http/test_server.hpp"

namespace file_feed {

class FeedServer {
 public:
  FeedServer() {
    server_.router.add("GET", "/feeds/{name}", [this](const reos::http::Request& r) {
      ++requests;
      std::lock_guard<std::mutex> lock(mutex_);
      reos::http::Response res;
      res.content_type = "text/csv";
      if (fail_next > 0) {
        --fail_next;
        res.status = 503;
        return res;
      }
      auto it = files_.find(r.path_params.at("name"));
      if (it == files_.end()) {
        res.status = 404;
        return res;
      }
      const std::string& body = it->second;
      res.headers.emplace_back("ETag", "\"v" + std::to_string(version_) + "\"");
      const std::string range = r.header("range");
      if (ignore_range || range.rfind("bytes=", 0) != 0) {
        res.body = body;
      } else {
        const std::size_t dash = range.find('-');
        const std::size_t first = std::stoull(range.substr(6, dash - 6));
        std::size_t last = std::stoull(range.substr(dash + 1));
        if (first >= body.size()) {
          res.status = 416;
          res.headers.emplace_back("Content-Range", "bytes */" + std::to_string(body.size()));
          return res;
        }
        last = std::min(last, body.size() - 1);
        res.status = 206;
        res.body = body.substr(first, last - first + 1);
        res.headers.emplace_back("Content-Range", "bytes " + std::to_string(first) + "-" +
                                                      std::to_string(last) + "/" +
                                                      std::to_string(body.size()));
      }
      largest_body = std::max<std::size_t>(largest_body, res.body.size());
      return res;
    });
    server_.start();
  }
  void set(const std::string& name, std::string body) {
    std::lock_guard<std::mutex> lock(mutex_);
    files_[name] = std::move(body);
    ++version_;
  }
  std::string url(const std::string& name) const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/feeds/" + name;
  }
  std::atomic<int> requests{0};
  std::atomic<int> fail_next{0};
  std::atomic<bool> ignore_range{false};
  std::atomic<std::size_t> largest_body{0};

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> files_;
  int version_ = 0;
  reos::test::TestServer server_;
};

}  // namespace file_feed
