// bench/startup: time from exec of `reos serve` to the first 200 from /readyz, and the
// resident set size once idle. Prints one JSON object per run and a summary with medians.
//
//   bench_startup --reos build/host/reos --config config/demo/hub.yaml [--runs 10]
//
// The database is whatever the config (or REOS_DATABASE__URL) names; it must be migrated.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

std::size_t discard(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

long get_status(CURL* curl, const std::string& url) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 1000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (curl_easy_perform(curl) != CURLE_OK) return 0;
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

double rss_mb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB → MiB
  }
  return -1;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Run {
  double startup_ms = -1;
  double rss_mb = -1;
  int exit_code = -1;
};

Run run_once(const std::string& reos, const std::string& config, int idle_ms) {
  const int port = free_port();
  std::vector<std::string> env_storage;
  for (char** e = environ; *e; ++e) env_storage.emplace_back(*e);
  env_storage.push_back("REOS_HTTP__PORT=" + std::to_string(port));
  env_storage.push_back("REOS_LOG__LEVEL=warn");
  std::vector<char*> envp;
  for (auto& s : env_storage) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = {reos, "--config", config, "serve"};
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/readyz";
  Run run;
  pid_t pid;
  const auto t0 = Clock::now();
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) {
    std::fprintf(stderr, "bench_startup: cannot exec %s\n", reos.c_str());
    return run;
  }
  while (Clock::now() - t0 < std::chrono::seconds(20)) {
    if (get_status(curl.get(), url) == 200) {
      run.startup_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      break;
    }
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      std::fprintf(stderr, "bench_startup: reos serve exited early (status %d)\n", status);
      return run;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(idle_ms));
  run.rss_mb = rss_mb(pid);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  std::string reos = "build/host/reos", config = "config/demo/hub.yaml";
  int runs = 10, idle_ms = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--reos")
      reos = v;
    else if (k == "--config")
      config = v;
    else if (k == "--runs")
      runs = std::stoi(v);
    else if (k == "--idle-ms")
      idle_ms = std::stoi(v);
    else {
      std::fprintf(
          stderr, "usage: bench_startup [--reos PATH] [--config FILE] [--runs N] [--idle-ms MS]\n");
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::vector<double> startup, rss;
  for (int i = 0; i < runs; ++i) {
    Run r = run_once(reos, config, idle_ms);
    std::printf(
        "{\"bench\":\"startup\",\"run\":%d,\"startup_ms\":%.2f,\"idle_rss_mb\":%.2f,"
        "\"exit_code\":%d}\n",
        i + 1, r.startup_ms, r.rss_mb, r.exit_code);
    std::fflush(stdout);
    if (r.startup_ms < 0 || r.exit_code != 0) return 1;
    startup.push_back(r.startup_ms);
    rss.push_back(r.rss_mb);
  }
  std::printf(
      "{\"bench\":\"startup\",\"runs\":%d,\"startup_ms_median\":%.2f,"
      "\"startup_ms_min\":%.2f,\"startup_ms_max\":%.2f,\"idle_rss_mb_median\":%.2f,"
      "\"target_startup_ms\":150,\"target_rss_mb\":30}\n",
      runs, median(startup), *std::min_element(startup.begin(), startup.end()),
      *std::max_element(startup.begin(), startup.end()), median(rss));
  curl_global_cleanup();
  return 0;
}
