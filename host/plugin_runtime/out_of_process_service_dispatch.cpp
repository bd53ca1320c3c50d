#include "plugin_runtime/out_of_process_service_dispatch.hpp"

#include <exception>

#include "reos/plugin.h"

namespace reos::plugin_runtime {

wire::ServiceReply dispatch_service_request(HostServices& services, const CallContext& ctx,
                                            wire::ServiceRequest& request) {
  using wire::ServiceOp;
  wire::ServiceReply reply;
  try {
    switch (request.op) {
      case ServiceOp::log:
        services.log(ctx, request.level, request.value);
        break;
      case ServiceOp::state_get:
        reply.status = services.state_get(ctx, request.key, reply.value);
        break;
      case ServiceOp::state_put:
        reply.status = services.state_put(ctx, request.key, request.value);
        break;
      case ServiceOp::secret:
        reply.status = services.secret(ctx, request.key, reply.value);
        break;
      case ServiceOp::http:
        reply.status = services.http(ctx, request.exchange);
        reply.http_status = request.exchange.status;
        reply.response_headers = std::move(request.exchange.response_headers);
        reply.response_body = std::move(request.exchange.response_body);
        break;
      case ServiceOp::counter_add:
        reply.status = services.counter_add(ctx, request.key, request.number);
        break;
      case ServiceOp::gauge_set:
        reply.status = services.gauge_set(ctx, request.key, request.number);
        break;
      case ServiceOp::blob_put:
        reply.status = services.blob_put(ctx, request.key, request.value, request.content_type);
        break;
      case ServiceOp::blob_get:
        reply.status = services.blob_get(ctx, request.key, reply.value);
        break;
    }
  } catch (const std::exception& e) {
    reply = {};
    reply.status = {REOS_FAIL, std::string("host service failed: ") + e.what()};
  }
  return reply;
}

}  // namespace reos::plugin_runtime
