#include "plugin_host/plugin_host_server.hpp"

#include <cstdio>
#include <exception>
#include <memory>

#include "plugin_host/remote_host_services.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "plugin_runtime/plugin_wire_channel.hpp"
#include "plugin_runtime/plugin_wire_codec.hpp"
#include "plugin_runtime/plugin_wire_protocol.hpp"
#include "reos/plugin.h"

namespace reos::plugin_host {
namespace {

namespace rt = plugin_runtime;
namespace wire = plugin_runtime::wire;

rt::CallResult run_call(rt::PluginInstance& instance, const wire::CallRequest& request) {
  switch (request.kind) {
    case wire::CallKind::pull:
      return instance.pull(request.ctx, request.input);
    case wire::CallKind::enrich:
      return instance.enrich(request.ctx, request.input);
    case wire::CallKind::score:
      return instance.score(request.ctx, request.input);
    case wire::CallKind::notify:
      return instance.notify(request.ctx, request.input);
    case wire::CallKind::export_record:
      return instance.export_record(request.ctx, request.input, request.idempotency_key);
    case wire::CallKind::webhook:
      return instance.webhook(request.ctx, request.webhook);
  }
  rt::CallResult result;
  result.message = "unknown call kind";
  return result;
}

int protocol_error(const std::string& why) {
  std::fprintf(stderr, "reos-plugin-host: protocol error: %s\n", why.c_str());
  return kExitProtocol;
}

/// The serve loop once the library is loaded and HELLO sent.
class Server {
 public:
  Server(wire::WireChannel& channel, std::shared_ptr<rt::PluginLibrary> library)
      : channel_(channel),
        library_(std::move(library)),
        services_(std::make_shared<RemoteHostServices>(channel)) {}

  int run() {
    for (;;) {
      wire::Received got = channel_.receive();
      if (got.status == wire::Received::Status::closed) return kExitOk;
      if (got.status != wire::Received::Status::frame) return protocol_error(got.error);
      try {
        switch (got.frame.type) {
          case wire::MessageType::shutdown:
            instance_.reset();  // the plugin's destroy runs here
            return kExitOk;
          case wire::MessageType::create:
            if (instance_) return protocol_error("second CREATE");
            if (!reply(create(wire::decode_create(got.frame.payload)))) return kExitParentLost;
            break;
          case wire::MessageType::call:
            if (!reply(call(wire::decode_call(got.frame.payload)))) return kExitParentLost;
            break;
          default:
            return protocol_error("unexpected " +
                                  wire::message_type_name(static_cast<uint8_t>(got.frame.type)));
        }
      } catch (const wire::ProtocolError& e) {
        return protocol_error(e.what());
      }
    }
  }

 private:
  rt::CallResult create(const wire::CreateRequest& request) {
    rt::CallResult result;
    instance_ = rt::create_in_process_instance(library_, services_, request.ctx,
                                               request.settings_json, result);
    if (!instance_ && result.status == REOS_OK) result.status = REOS_FAIL;
    return result;
  }

  rt::CallResult call(const wire::CallRequest& request) {
    if (!instance_) {
      rt::CallResult result;
      result.message = "plugin host: CALL before a successful CREATE";
      return result;
    }
    return run_call(*instance_, request);
  }

  bool reply(const rt::CallResult& result) {
    std::string error;
    return channel_.send(wire::MessageType::result, wire::encode_call_result(result), error);
  }

  wire::WireChannel& channel_;
  std::shared_ptr<rt::PluginLibrary> library_;
  std::shared_ptr<RemoteHostServices> services_;
  std::unique_ptr<rt::PluginInstance> instance_;
};

}  // namespace

int serve_plugin(int fd, const std::string& plugin_path) {
  wire::WireChannel channel{UniqueFd(fd)};
  std::string error;
  std::shared_ptr<rt::PluginLibrary> library;
  try {
    library = rt::PluginLibrary::open(plugin_path);
  } catch (const std::exception& e) {
    channel.send(wire::MessageType::load_failed, wire::encode_text(e.what()), error);
    return kExitLoadFailed;
  }
  if (!channel.send(wire::MessageType::hello, wire::encode_plugin_info(library->info()), error)) {
    return kExitParentLost;
  }
  return Server(channel, std::move(library)).run();
}

}  // namespace reos::plugin_host
