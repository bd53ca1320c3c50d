#pragma once

// While a request with an Idempotency-Key runs, the handler's transaction is not committed by
// ApiContext::in_tenant / as_system but held here, so that IdempotencyStore writes the stored
// response in that same transaction: the work and its stored answer commit together, and a
// crash between the two cannot make a retry run the work a second time
// (docs/idempotency-and-limits.md).

#include <functional>
#include <memory>

#include "db/connection_pool.hpp"

namespace pqxx {
class transaction_base;
}

namespace reos::api {

/// One per request, on the thread that runs the handler (handlers run synchronously on their
/// HTTP thread). While it lives, ApiContext's transactions are handed to it instead of being
/// committed; a handler that opens another transaction first commits the one held, so its
/// last transaction commits with the response. Destroying the scope rolls back what it holds.
class DeferredCommitScope {
 public:
  DeferredCommitScope();
  ~DeferredCommitScope();
  DeferredCommitScope(const DeferredCommitScope&) = delete;
  DeferredCommitScope& operator=(const DeferredCommitScope&) = delete;

  /// Runs `fn` in the held transaction and commits both. Returns false, running nothing, when
  /// the handler left no transaction held. Throws what the statement or the commit throws.
  bool commit_with(const std::function<void(pqxx::transaction_base&)>& fn);

  /// Rolls back what is held (the handler failed after its last transaction).
  void rollback();

  /// For ApiContext: true when a scope is active on this thread.
  static bool active();
  /// For ApiContext, before it begins a transaction: commits the one the active scope holds.
  static void commit_held();
  /// For ApiContext: hands a transaction whose work is done to the active scope.
  static void hold(db::ConnectionPool::Lease lease, std::unique_ptr<pqxx::transaction_base> tx);

 private:
  struct Held;
  std::unique_ptr<Held> held_;
  DeferredCommitScope* outer_;
};

}  // namespace reos::api
