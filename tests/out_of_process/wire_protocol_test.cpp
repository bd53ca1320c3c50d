// The wire protocol on its own: every message survives encode → decode, and a truncated,
// oversize or unknown frame is a protocol error, never a crash or a huge allocation.

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "plugin_runtime/plugin_wire_channel.hpp"
#include "plugin_runtime/plugin_wire_codec.hpp"
#include "plugin_runtime/plugin_wire_protocol.hpp"

namespace rt = reos::plugin_runtime;
namespace wire = reos::plugin_runtime::wire;

namespace {

/// A connected socketpair: `a` wrapped in a WireChannel, `b` raw for hand-made bytes.
struct Pair {
  Pair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    channel = std::make_unique<wire::WireChannel>(reos::UniqueFd(fds[0]));
    raw.reset(fds[1]);
  }
  void write_raw(const std::string& bytes) {
    ASSERT_EQ(::write(raw.get(), bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  std::unique_ptr<wire::WireChannel> channel;
  reos::UniqueFd raw;
};

std::string le32(uint32_t v) {
  wire::WireWriter w;
  w.u32(v);
  return w.take();
}

}  // namespace

TEST(PluginWireProtocol, CallResultRoundTripsEveryField) {
  rt::CallResult in;
  in.status = 1;
  in.message = "busy";
  in.retry_after_ms = 1500;
  in.output = std::string("{\"a\":1}\0tail", 12);  // binary-safe
  in.emitted = {"{\"n\":1}", "{\"n\":2}"};
  in.cursor = "page2";
  in.has_more = true;
  in.state_writes = {{"k", "v1"}, {"k", "v2"}};
  in.duration_ms = 1.25;
  rt::CallResult out = wire::decode_call_result(wire::encode_call_result(in));
  EXPECT_EQ(out.status, 1);
  EXPECT_EQ(out.message, "busy");
  EXPECT_EQ(out.retry_after_ms, 1500u);
  EXPECT_EQ(out.output, in.output);
  EXPECT_EQ(out.emitted, in.emitted);
  EXPECT_EQ(out.cursor, in.cursor);
  EXPECT_TRUE(out.has_more);
  EXPECT_EQ(out.state_writes, in.state_writes);
  EXPECT_DOUBLE_EQ(out.duration_ms, 1.25);

  rt::CallResult empty = wire::decode_call_result(wire::encode_call_result(rt::CallResult{}));
  EXPECT_FALSE(empty.output.has_value());
  EXPECT_FALSE(empty.cursor.has_value());
}

TEST(PluginWireProtocol, CallRequestCarriesContextAndWebhook) {
  wire::CallRequest in;
  in.kind = wire::CallKind::webhook;
  in.ctx = {"t1", "crmls", "corr-9", std::chrono::milliseconds(2500)};
  in.webhook = {"POST", "https://hub/webhooks/x", {{"X-Sig", "abc"}, {"A", ""}}, "body"};
  wire::CallRequest out = wire::decode_call(wire::encode_call(in));
  EXPECT_EQ(out.kind, wire::CallKind::webhook);
  EXPECT_EQ(out.ctx.tenant_id, "t1");
  EXPECT_EQ(out.ctx.connector_id, "crmls");
  EXPECT_EQ(out.ctx.correlation_id, "corr-9");
  EXPECT_EQ(out.ctx.deadline.count(), 2500);
  EXPECT_EQ(out.webhook.headers, in.webhook.headers);
  EXPECT_EQ(out.webhook.body, "body");
}

TEST(PluginWireProtocol, ServiceRequestAndReplyRoundTrip) {
  wire::ServiceRequest req;
  req.op = wire::ServiceOp::http;
  req.exchange.method = "GET";
  req.exchange.url = "https://v/x";
  req.exchange.request_headers = {{"Accept", "*/*"}};
  req.exchange.timeout_ms = 900;
  wire::ServiceRequest req2 = wire::decode_service_request(wire::encode_service_request(req));
  EXPECT_EQ(req2.op, wire::ServiceOp::http);
  EXPECT_EQ(req2.exchange.url, "https://v/x");
  EXPECT_EQ(req2.exchange.request_headers, req.exchange.request_headers);
  EXPECT_EQ(req2.exchange.timeout_ms, 900u);

  wire::ServiceReply rep;
  rep.status = {4, "missing"};
  rep.value = "v";
  rep.http_status = 503;
  rep.response_body = "down";
  wire::ServiceReply rep2 = wire::decode_service_reply(wire::encode_service_reply(rep));
  EXPECT_EQ(rep2.status.status, 4);
  EXPECT_EQ(rep2.status.error, "missing");
  EXPECT_EQ(rep2.http_status, 503);
  EXPECT_EQ(rep2.response_body, "down");
}

TEST(PluginWireProtocol, TruncatedPayloadIsAProtocolError) {
  rt::CallResult in;
  in.message = "a message long enough to cut";
  std::string bytes = wire::encode_call_result(in);
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
    EXPECT_THROW(wire::decode_call_result(bytes.substr(0, cut)), wire::ProtocolError) << cut;
  }
  EXPECT_THROW(wire::decode_call_result(bytes + "x"), wire::ProtocolError);
}

TEST(PluginWireProtocol, StringLengthBeyondFrameIsRejected) {
  std::string bytes = le32(0xFFFFFFF0u) + "abc";  // claims ~4 GiB, has 3 bytes
  wire::WireReader r(bytes);
  EXPECT_THROW(r.str(), wire::ProtocolError);
}

TEST(PluginWireChannel, FramesArriveWholeAcrossPartialWrites) {
  Pair p;
  std::string frame = wire::encode_frame(wire::MessageType::result, "payload");
  p.write_raw(frame.substr(0, 3));
  EXPECT_EQ(
      p.channel->receive(std::chrono::steady_clock::now() + std::chrono::milliseconds(20)).status,
      wire::Received::Status::timeout);
  p.write_raw(frame.substr(3) + frame);
  for (int i = 0; i < 2; ++i) {
    wire::Received got = p.channel->receive();
    ASSERT_EQ(got.status, wire::Received::Status::frame);
    EXPECT_EQ(got.frame.type, wire::MessageType::result);
    EXPECT_EQ(got.frame.payload, "payload");
  }
}

TEST(PluginWireChannel, OversizeLengthIsAProtocolError) {
  Pair p;
  p.write_raw(le32(wire::kMaxFrameBytes + 1) + "\x07");
  wire::Received got = p.channel->receive();
  EXPECT_EQ(got.status, wire::Received::Status::protocol_error);
  EXPECT_NE(got.error.find("frame length"), std::string::npos) << got.error;
}

TEST(PluginWireChannel, UnknownTypeIsAProtocolError) {
  Pair p;
  p.write_raw(le32(1) + "\x63");
  EXPECT_EQ(p.channel->receive().status, wire::Received::Status::protocol_error);
}

TEST(PluginWireChannel, EndOfStreamInsideAFrameIsReported) {
  Pair p;
  p.write_raw(le32(100) + "\x07" + "short");
  p.raw.reset();
  wire::Received got = p.channel->receive();
  EXPECT_EQ(got.status, wire::Received::Status::closed);
  EXPECT_NE(got.error.find("inside a frame"), std::string::npos) << got.error;
}

TEST(PluginWireChannel, SendToAClosedPeerFailsWithoutSigpipe) {
  Pair p;
  p.raw.reset();
  std::string error;
  EXPECT_FALSE(p.channel->send(wire::MessageType::call, std::string(1 << 20, 'x'), error));
  EXPECT_FALSE(error.empty());
}
