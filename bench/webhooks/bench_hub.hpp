#pragma once

// The hub under test: a scratch folder with hub.yaml, tenant `bench` (connectors `sw`:
// standard_webhooks, `sg`: sendgrid when built), a scratch database, and `reos serve` as a
// child process that can be SIGKILLed and started again.

#include <sys/types.h>

#include <string>

namespace bench {

struct HubOptions {
  std::string reos;        ///< the reos binary
  std::string plugin_dir;  ///< where libreos_standard_webhooks.so (and sendgrid) were built
  std::string admin_pg;    ///< conninfo of a superuser on the cluster
  int http_threads = 64;
  int workers = 0;  ///< 0: the hub only takes webhooks in (what is measured)
};

class BenchHub {
 public:
  explicit BenchHub(HubOptions options);
  ~BenchHub();

  bool has_sendgrid() const { return sendgrid_; }
  const std::string& conninfo() const { return conninfo_; }
  const std::string& whsec() const { return whsec_; }
  const std::string& sendgrid_private_key_pem() const { return sg_key_pem_; }
  int port() const { return port_; }

  /// Starts `reos serve` and waits for /healthz; throws when it does not come up.
  void start();
  void kill_hard();  ///< SIGKILL, then reap
  /// CPU seconds (user + system) the running `reos serve` has used so far.
  double cpu_seconds() const;
  /// CPU seconds used so far by the PostgreSQL backends serving the bench database (their
  /// process titles name it); the WAL writer and checkpointer are not included.
  double database_cpu_seconds() const;
  /// The sum of every series of metric `name` in GET /metrics (0 when absent).
  double metric(const std::string& name) const;
  void stop();  ///< SIGTERM, then reap

 private:
  HubOptions options_;
  std::string dir_;
  std::string conninfo_;
  std::string whsec_;
  std::string sg_key_pem_;
  bool sendgrid_ = false;
  int port_ = 0;
  pid_t pid_ = -1;
};

/// Runs a shell command and returns its stdout; throws when it exits non-zero.
std::string shell(const std::string& command);

}  // namespace bench
