#pragma once

#include <chrono>
#include <memory>
#include <string>

// pqxx 6 names its connection base class `connection_base`; forward-declared so this header
// does not pull libpqxx into every file that merely holds a pool.
namespace pqxx {
class connection_base;
}

namespace reos::db {

/// Deletes a connection made by connect(). pqxx 6's connection_base has no virtual
/// destructor, so the concrete type must be deleted, never the base.
struct ConnectionDeleter {
  void operator()(pqxx::connection_base* conn) const noexcept;
};

/// An open connection, owned.
using ConnectionPtr = std::unique_ptr<pqxx::connection_base, ConnectionDeleter>;

/// A fixed-size pool of PostgreSQL connections, opened lazily and shared by all threads.
/// Thread-safe. Connections found broken when returned are dropped and reopened on demand.
class ConnectionPool {
 public:
  struct Stats {
    int size;    ///< the configured maximum
    int in_use;  ///< leased right now
    int idle;    ///< open and waiting in the pool
  };

  /// A leased connection; returns to the pool when destroyed. Movable, not copyable.
  class Lease {
   public:
    Lease(Lease&&) noexcept;
    Lease& operator=(Lease&&) noexcept;
    ~Lease();
    pqxx::connection_base& operator*() const { return *conn_; }
    pqxx::connection_base* operator->() const { return conn_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, pqxx::connection_base* conn) : pool_(pool), conn_(conn) {}
    ConnectionPool* pool_;
    pqxx::connection_base* conn_;
  };

  /// `conninfo` is a libpq connection string or URI. Opens nothing yet.
  ConnectionPool(std::string conninfo, int size);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  /// Waits up to `timeout` for a free connection, opening one if below size. Throws
  /// std::runtime_error ("database: …") when none can be had or opened.
  Lease acquire(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

  /// Runs `SELECT 1`; on failure returns false and, when given, the reason in `error`.
  bool ping(std::string* error = nullptr);

  Stats stats() const;

  /// Closes idle connections and refuses new leases (used on shutdown).
  void close();

 private:
  void release(pqxx::connection_base* conn);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Opens one connection outside any pool (CLI commands, migrations). Throws
/// std::runtime_error naming the target (never a password) when it cannot connect.
ConnectionPtr connect(const std::string& conninfo);

/// `conninfo` with any password replaced by "***", safe for logs and error messages.
std::string redact_conninfo(const std::string& conninfo);

}  // namespace reos::db
