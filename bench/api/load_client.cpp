#include "load_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <stdexcept>
#include <thread>

namespace reos::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Transfer {
  CURL* easy = nullptr;
  Clock::time_point due;  // when the request should have started (paced) or did (saturate)
  bool measured = false;
  long bytes = 0;
};

std::size_t count_body(char*, std::size_t size, std::size_t n, void* user) {
  static_cast<Transfer*>(user)->bytes += static_cast<long>(size * n);
  return size * n;
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()));
  return sorted[i];
}

class Runner {
 public:
  explicit Runner(const LoadSpec& spec) : spec_(spec) {
    if (spec.urls.empty()) throw std::invalid_argument("run_load: no URL");
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, static_cast<long>(spec.connections));
    for (const std::string& h : spec.headers) headers_ = curl_slist_append(headers_, h.c_str());
    for (int i = 0; i < spec.connections; ++i) {
      auto t = std::make_unique<Transfer>();
      t->easy = curl_easy_init();
      curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, headers_);
      curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, count_body);
      curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t.get());
      curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t.get());
      curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, 10000L);
      idle_.push_back(t.get());
      all_.push_back(std::move(t));
    }
  }
  ~Runner() {
    for (auto& t : all_) {
      curl_multi_remove_handle(multi_, t->easy);
      curl_easy_cleanup(t->easy);
    }
    curl_slist_free_all(headers_);
    curl_multi_cleanup(multi_);
  }

  LoadResult run() {
    const auto start = Clock::now();
    const auto measure_from = start + to_duration(spec_.warmup_seconds);
    const auto end = measure_from + to_duration(spec_.seconds);
    long sent = 0;
    while (true) {
      const auto now = Clock::now();
      if (now >= end && in_flight_ == 0) break;
      // Start whatever is due (paced) or whatever fits (saturating).
      while (now < end && !idle_.empty()) {
        Clock::time_point due = now;
        if (spec_.rate > 0) {
          due = start + to_duration(static_cast<double>(sent) / spec_.rate);
          if (due > now) break;
        }
        start_one(due, due >= measure_from);
        ++sent;
      }
      int running = 0;
      curl_multi_perform(multi_, &running);
      collect(measure_from);
      // Sleep until the next request is due (or 5 ms; with every connection busy, until one
      // has news), woken early by socket activity.
      // Below a millisecond curl_multi_poll cannot wait, so sleep instead of spinning: a
      // busy client would take a core from the server it measures.
      long wait_us = 5000;
      if (spec_.rate > 0 && !idle_.empty()) {
        const auto next_due = start + to_duration(static_cast<double>(sent) / spec_.rate);
        wait_us = std::clamp<long>(
            std::chrono::duration_cast<std::chrono::microseconds>(next_due - Clock::now()).count(),
            0, 5000);
      }
      if (wait_us >= 1000) {
        curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_us / 1000), nullptr);
      } else if (wait_us > 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(wait_us));
      }
    }
    LoadResult r;
    r.requests = static_cast<long>(latencies_.size());
    r.errors = errors_;
    r.seconds = spec_.seconds;
    r.req_per_s = static_cast<double>(r.requests) / r.seconds;
    std::sort(latencies_.begin(), latencies_.end());
    r.p50_ms = percentile(latencies_, 0.50);
    r.p90_ms = percentile(latencies_, 0.90);
    r.p99_ms = percentile(latencies_, 0.99);
    r.max_ms = latencies_.empty() ? 0 : latencies_.back();
    r.bytes = bytes_;
    if (spec_.rate > 0) {
      const long due = static_cast<long>(spec_.rate * (spec_.warmup_seconds + spec_.seconds));
      r.not_sent = std::max(0L, due - sent);
    }
    return r;
  }

 private:
  static Clock::duration to_duration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  }

  void start_one(Clock::time_point due, bool measured) {
    Transfer* t = idle_.back();
    idle_.pop_back();
    t->due = due;
    t->measured = measured;
    t->bytes = 0;
    curl_easy_setopt(t->easy, CURLOPT_URL, spec_.urls[next_url_++ % spec_.urls.size()].c_str());
    curl_multi_add_handle(multi_, t->easy);
    ++in_flight_;
  }

  void collect(Clock::time_point measure_from) {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* t = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
      const auto done = Clock::now();
      long status = 0;
      curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
      if (t->measured && done >= measure_from) {
        latencies_.push_back(std::chrono::duration<double, std::milli>(done - t->due).count());
        if (msg->data.result != CURLE_OK || status != 200) ++errors_;
        bytes_ += t->bytes;
      }
      curl_multi_remove_handle(multi_, t->easy);
      idle_.push_back(t);
      --in_flight_;
    }
  }

  const LoadSpec& spec_;
  CURLM* multi_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::vector<std::unique_ptr<Transfer>> all_;
  std::vector<Transfer*> idle_;
  int in_flight_ = 0;
  std::size_t next_url_ = 0;
  std::vector<double> latencies_;
  long errors_ = 0;
  long bytes_ = 0;
};

}  // namespace

LoadResult run_load(const LoadSpec& spec) {
  Runner runner(spec);
  return runner.run();
}

}  // namespace reos::bench
