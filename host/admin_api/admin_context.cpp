#include "admin_api/admin_context.hpp"

namespace reos::admin_api {

db::ConnectionPool::Lease AdminContext::connection() const {
  try {
    return pool->acquire(db_acquire_timeout);
  } catch (const std::exception& e) {
    throw DatabaseUnavailable(e.what());
  }
}

}  // namespace reos::admin_api
