#include "api/deferred_commit.hpp"

#include <optional>
#include <pqxx/pqxx>
#include <stdexcept>

namespace reos::api {
namespace {

thread_local DeferredCommitScope* current_scope = nullptr;

}  // namespace

struct DeferredCommitScope::Held {
  // Member order matters: the transaction ends (rolls back if still open) before its
  // connection goes back to the pool.
  std::optional<db::ConnectionPool::Lease> lease;
  std::unique_ptr<pqxx::transaction_base> tx;
};

DeferredCommitScope::DeferredCommitScope() : outer_(current_scope) {
  current_scope = this;
}

DeferredCommitScope::~DeferredCommitScope() {
  current_scope = outer_;
  held_.reset();  // rolls back anything still held
}

bool DeferredCommitScope::commit_with(const std::function<void(pqxx::transaction_base&)>& fn) {
  if (!held_) return false;
  std::unique_ptr<Held> held = std::move(held_);
  fn(*held->tx);
  held->tx->commit();
  return true;
}

void DeferredCommitScope::rollback() {
  held_.reset();
}

bool DeferredCommitScope::active() {
  return current_scope != nullptr;
}

void DeferredCommitScope::commit_held() {
  if (!current_scope || !current_scope->held_) return;
  std::unique_ptr<Held> held = std::move(current_scope->held_);
  held->tx->commit();
}

void DeferredCommitScope::hold(db::ConnectionPool::Lease lease,
                               std::unique_ptr<pqxx::transaction_base> tx) {
  if (!current_scope) throw std::logic_error("DeferredCommitScope::hold without a scope");
  commit_held();
  auto held = std::make_unique<Held>();
  held->lease.emplace(std::move(lease));
  held->tx = std::move(tx);
  current_scope->held_ = std::move(held);
}

}  // namespace reos::api
