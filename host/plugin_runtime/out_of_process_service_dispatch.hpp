#pragma once

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/plugin_wire_protocol.hpp"

namespace reos::plugin_runtime {

/// Parent side of a SERVICE_REQUEST: runs it against the real HostServices with the context
/// of the call in progress (never one the child chose) and returns the reply to send.
/// A HostServices that throws becomes REOS_FAIL with the exception's text.
/// `log` requests are one-way: the caller sends no reply for them (wants_reply()).
wire::ServiceReply dispatch_service_request(HostServices& services, const CallContext& ctx,
                                            wire::ServiceRequest& request);

/// False for ops the child does not wait on (log).
inline bool wants_reply(wire::ServiceOp op) {
  return op != wire::ServiceOp::log;
}

}  // namespace reos::plugin_runtime
