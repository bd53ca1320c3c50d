#include "bench_hub.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace bench {
namespace {

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool healthy(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (::send(fd, req, sizeof req - 1, MSG_NOSIGNAL) > 0) {
      char buf[64] = {};
      ok = ::recv(fd, buf, sizeof buf - 1, 0) > 12 &&
           std::string(buf).find(" 200 ") != std::string::npos;
    }
  }
  ::close(fd);
  return ok;
}

std::string with_dbname(const std::string& conninfo, const std::string& name) {
  return conninfo + " dbname=" + name;
}

}  // namespace

std::string shell(const std::string& command) {
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), &pclose);
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string out;
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), pipe.get())) out += buf.data();
  const int rc = pclose(pipe.release());
  if (rc != 0) throw std::runtime_error("failed (" + std::to_string(rc) + "): " + command);
  return out;
}

BenchHub::BenchHub(HubOptions options) : options_(std::move(options)) {
  dir_ = (std::filesystem::temp_directory_path() /
          ("reos-bench-webhooks-" + std::to_string(::getpid())))
             .string();
  std::filesystem::create_directories(dir_ + "/plugins");
  std::filesystem::create_directories(dir_ + "/tenants");
  {
    pqxx::connection admin(options_.admin_pg);
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS reos_bench_webhooks");
    tx.exec("CREATE DATABASE reos_bench_webhooks");
  }
  conninfo_ = with_dbname(options_.admin_pg, "reos_bench_webhooks");
  whsec_ = "whsec_" + shell("openssl rand -base64 32 | tr -d '\\n'");
  std::ofstream(dir_ + "/sw.secret") << whsec_;
  auto copy = [&](const std::string& name) {
    const std::string from = options_.plugin_dir + "/libreos_" + name + ".so";
    if (!std::filesystem::exists(from)) return false;
    std::filesystem::copy_file(from, dir_ + "/plugins/libreos_" + name + ".so",
                               std::filesystem::copy_options::overwrite_existing);
    return true;
  };
  if (!copy("standard_webhooks")) throw std::runtime_error("libreos_standard_webhooks.so missing");
  sendgrid_ = copy("sendgrid");
  std::string tenant =
      "id: bench\nname: Bench\nconnectors:\n"
      "  - id: sw\n    plugin: standard_webhooks\n"
      "    settings: { secrets: [\"file:" +
      dir_ + "/sw.secret\"] }\n";
  if (sendgrid_) {
    // A fresh P-256 key from the openssl CLI; the plugin gets the public half as base64 DER.
    shell("openssl ecparam -name prime256v1 -genkey -noout -out '" + dir_ + "/sg.pem' 2>/dev/null");
    sg_key_pem_ = shell("cat '" + dir_ + "/sg.pem'");
    const std::string pub =
        shell("openssl ec -in '" + dir_ + "/sg.pem' -pubout -outform DER 2>/dev/null | base64 -w0");
    tenant +=
        "  - id: sg\n    plugin: sendgrid\n"
        "    settings: { api_key: \"${BENCH_SENDGRID_API_KEY}\", from: \"bench@example.com\","
        " webhook_public_key: \"" +
        pub + "\" }\n";
  }
  std::ofstream(dir_ + "/tenants/bench.yaml") << tenant;
  port_ = free_port();
  std::ofstream(dir_ + "/hub.yaml")
      << "plugin_dirs: [plugins]\ntenants_dir: tenants\nblobs: { dir: blobs }\n"
      << "http: { bind: 127.0.0.1, port: " << port_ << ", threads: " << options_.http_threads
      << " }\nworkers: { count: " << options_.workers << " }\n"
      << "log: { level: warn, format: json }\n";
  shell("REOS_DATABASE__URL='" + conninfo_ + "' '" + options_.reos + "' --config '" + dir_ +
        "/hub.yaml' migrate >/dev/null");
}

BenchHub::~BenchHub() {
  if (pid_ > 0) kill_hard();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void BenchHub::start() {
  pid_ = ::fork();
  if (pid_ == 0) {
    const int log = ::open((dir_ + "/serve.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(log, 2);
    ::dup2(log, 1);
    ::setenv("REOS_DATABASE__URL", conninfo_.c_str(), 1);
    ::setenv("BENCH_SENDGRID_API_KEY", "not-used-by-webhooks", 1);
    const std::string config = dir_ + "/hub.yaml";
    ::execl(options_.reos.c_str(), options_.reos.c_str(), "--config", config.c_str(), "serve",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!healthy(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("reos serve exited; see " + dir_ + "/serve.log:\n" +
                               shell("tail -5 '" + dir_ + "/serve.log'"));
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("reos serve did not answer /healthz");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

namespace {

double process_cpu_seconds(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

double BenchHub::cpu_seconds() const {
  return process_cpu_seconds(std::to_string(pid_));
}

double BenchHub::database_cpu_seconds() const {
  double total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "cmdline");
    std::string title((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (title.rfind("postgres:", 0) == 0 && title.find("reos_bench_webhooks") != std::string::npos)
      total += process_cpu_seconds(pid);
  }
  return total;
}

double BenchHub::metric(const std::string& name) const {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string text;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const char req[] = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    ::send(fd, req, sizeof req - 1, MSG_NOSIGNAL);
    char buf[65536];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  double sum = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name, 0) != 0) continue;
    const char next = line.size() > name.size() ? line[name.size()] : '\0';
    if (next != ' ' && next != '{') continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

void BenchHub::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void BenchHub::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace bench
