#include "db/connection_pool.hpp"

#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <regex>
#include <stdexcept>
#include <vector>

namespace reos::db {

std::string redact_conninfo(const std::string& conninfo) {
  // key=value form and URI form (postgresql://user:secret@host/db).
  static const std::regex kv(R"((password\s*=\s*)('[^']*'|\S+))", std::regex::icase);
  static const std::regex uri(R"((postgres(?:ql)?://[^:/@]*:)[^@]*@)", std::regex::icase);
  std::string out = std::regex_replace(conninfo, kv, "$1***");
  return std::regex_replace(out, uri, "$1***@");
}

void ConnectionDeleter::operator()(pqxx::connection_base* conn) const noexcept {
  delete static_cast<pqxx::connection*>(conn);
}

ConnectionPtr connect(const std::string& conninfo) {
  try {
    ConnectionPtr conn(new pqxx::connection(conninfo));
    // The hub's statements are short and index-driven (API reads, upserts of a page, queue
    // claims). JIT compilation, which the planner asks for on large row estimates, and
    // parallel workers cost them far more than they save, and parallel workers take cores
    // from concurrent requests. set_variable: pqxx re-applies them if it reconnects.
    conn->set_variable("jit", "off");
    conn->set_variable("max_parallel_workers_per_gather", "0");
    return conn;
  } catch (const std::exception& e) {
    std::string why = e.what();
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    throw std::runtime_error("database: cannot connect to '" + redact_conninfo(conninfo) +
                             "': " + why);
  }
}

struct ConnectionPool::Impl {
  std::string conninfo;
  int size;
  mutable std::mutex mutex;
  std::condition_variable available;
  std::vector<ConnectionPtr> all;  // owns every open connection
  std::vector<pqxx::connection_base*> idle;
  int in_use = 0;
  bool closed = false;

  // Closes and forgets one connection; the caller holds `mutex`.
  void drop(pqxx::connection_base* conn) {
    for (auto it = all.begin(); it != all.end(); ++it) {
      if (it->get() == conn) {
        all.erase(it);
        return;
      }
    }
  }
};

ConnectionPool::ConnectionPool(std::string conninfo, int size) : impl_(std::make_unique<Impl>()) {
  impl_->conninfo = std::move(conninfo);
  impl_->size = size < 1 ? 1 : size;
}

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease ConnectionPool::acquire(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mutex);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (impl_->closed) throw std::runtime_error("database: pool is closed");
    if (!impl_->idle.empty()) {
      pqxx::connection_base* c = impl_->idle.back();
      impl_->idle.pop_back();
      ++impl_->in_use;
      return Lease(this, c);
    }
    if (static_cast<int>(impl_->all.size()) < impl_->size) {
      ++impl_->in_use;  // reserve the slot before connecting without the lock
      lock.unlock();
      ConnectionPtr conn;
      try {
        conn = connect(impl_->conninfo);
      } catch (...) {
        lock.lock();
        --impl_->in_use;
        impl_->available.notify_one();
        throw;
      }
      lock.lock();
      pqxx::connection_base* raw = conn.get();
      impl_->all.push_back(std::move(conn));
      return Lease(this, raw);
    }
    if (impl_->available.wait_until(lock, deadline) == std::cv_status::timeout) {
      throw std::runtime_error("database: no connection free within " +
                               std::to_string(timeout.count()) + " ms (pool size " +
                               std::to_string(impl_->size) + ")");
    }
  }
}

void ConnectionPool::release(pqxx::connection_base* conn) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  --impl_->in_use;
  if (impl_->closed || !conn->is_open()) {
    impl_->drop(conn);
  } else {
    impl_->idle.push_back(conn);
  }
  impl_->available.notify_one();
}

bool ConnectionPool::ping(std::string* error) {
  try {
    Lease lease = acquire(std::chrono::milliseconds(2000));
    pqxx::nontransaction tx(*lease);
    tx.exec("SELECT 1");
    return true;
  } catch (const std::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

ConnectionPool::Stats ConnectionPool::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return Stats{impl_->size, impl_->in_use, static_cast<int>(impl_->idle.size())};
}

void ConnectionPool::close() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->closed = true;
  for (pqxx::connection_base* c : impl_->idle) impl_->drop(c);
  impl_->idle.clear();
  impl_->available.notify_all();
}

ConnectionPool::Lease::Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(o.conn_) {
  o.pool_ = nullptr;
  o.conn_ = nullptr;
}

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    if (pool_ && conn_) pool_->release(conn_);
    pool_ = o.pool_;
    conn_ = o.conn_;
    o.pool_ = nullptr;
    o.conn_ = nullptr;
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ && conn_) pool_->release(conn_);
}

}  // namespace reos::db
