#include "blobs/photo_jobs.hpp"

#include "blobs/blob_store_factory.hpp"
#include "blobs/photo_fetch_handler.hpp"
#include "config/hub_config.hpp"

namespace reos::blobs {

std::map<std::string, queue::JobHandler> photo_handlers(const config::HubConfig& hub,
                                                        db::ConnectionPool& pool,
                                                        http::MetricsRegistry& metrics) {
  auto handler = std::make_shared<PhotoFetchHandler>(pool, make_blob_store(hub.blobs), metrics);
  return {{PhotoFetchHandler::kKind, [handler](const queue::Job& job) { return (*handler)(job); }}};
}

}  // namespace reos::blobs
