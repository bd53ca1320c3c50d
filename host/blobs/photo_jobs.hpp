#pragma once

// The job handlers of listing photos, for the hub's workers (host/cli/hub_startup.cpp).

#include <map>
#include <string>

#include "queue/worker_pool.hpp"

namespace reos::config {
struct HubConfig;
}
namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class MetricsRegistry;
}

namespace reos::blobs {

/// {"photos.fetch" → PhotoFetchHandler on the store hub.yaml `blobs:` selects}. `pool` and
/// `metrics` must outlive the handlers (the returned functions own the rest).
std::map<std::string, queue::JobHandler> photo_handlers(const config::HubConfig& hub,
                                                        db::ConnectionPool& pool,
                                                        http::MetricsRegistry& metrics);

}  // namespace reos::blobs
