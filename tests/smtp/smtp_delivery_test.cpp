// The smtp plugin (libreos_smtp.so) loaded by the host runtime, sending through a real
// Postfix on loopback (mta_instance.sh, started as a CTest fixture) that delivers into a
// Maildir; each test reads the delivered file back and parses it with GMime.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "parsed_mail.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/memory_host_services.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "support/child_process.hpp"

using namespace reos::plugin_runtime;
namespace fs = std::filesystem;

namespace {

/// KEY=VALUE lines written by mta_instance.sh; empty when the MTA could not be started.
std::map<std::string, std::string> mta_state() {
  std::map<std::string, std::string> out;
  std::ifstream in(MTA_STATE_FILE);
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string new_uuid(int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "5f0c1e2d-3b4a-4c5d-8e6f-%012d", n);
  return buf;
}

class SmtpDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    state_ = mta_state();
    if (state_.empty()) GTEST_SKIP() << "no MTA (mta_instance.sh needs root); see its output";
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "outbox-email";
    ctx_.correlation_id = "corr-smtp";
  }

  nlohmann::json settings(nlohmann::json extra = nlohmann::json::object()) const {
    nlohmann::json s = {{"url", "smtp://127.0.0.1:" + state_.at("PORT") + "/hub.reos.test"},
                        {"starttls", "required"},
                        {"ca_file", state_.at("CA")},
                        {"from", "news@brokerage.example"},
                        {"from_name", "Acme Realty"},
                        {"timeout_ms", 10000}};
    s.update(extra);
    return s;
  }

  std::unique_ptr<PluginInstance> create(const nlohmann::json& s) {
    auto services = std::make_shared<MemoryHostServices>(s.dump());
    services_ = services;
    CallResult created;
    auto instance = create_in_process_instance(PluginLibrary::open(SMTP_PLUGIN), services, ctx_,
                                               s.dump(), created);
    EXPECT_NE(instance, nullptr) << created.message;
    return instance;
  }

  nlohmann::json message(const std::string& id, const std::string& to) const {
    return {{"message_id", id},
            {"tenant", "acme"},
            {"channel", "email"},
            {"to", to},
            {"subject", "Price drop on 12 Elm St"},
            {"text", "The price dropped to $455,000."},
            {"html", "<p>The price dropped to <b>$455,000</b>.</p>"},
            {"marketing", true},
            {"unsubscribe_url", "https://hub.example/u/token123"},
            {"attachments",
             {{{"filename", "flyer.pdf"},
               {"content_type", "application/pdf"},
               {"content_base64", "JVBERi0xLjQKAAH+/w=="}}}}};
  }

  /// The delivered message carrying `message_id`, waiting up to `wait` for Postfix.
  std::string delivered(const std::string& message_id,
                        std::chrono::seconds wait = std::chrono::seconds(15)) const {
    const fs::path dir = fs::path(state_.at("MAILDIR")) / "new";
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string raw = read_file(entry.path());
        if (raw.find("X-Reos-Message-Id: " + message_id) != std::string::npos) return raw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "";
  }

  std::map<std::string, std::string> state_;
  std::shared_ptr<MemoryHostServices> services_;
  CallContext ctx_;
};

}  // namespace

TEST_F(SmtpDelivery, DeliversMultipartMailWithAttachmentAndOneClickUnsubscribeOverStartTls) {
  auto notifier = create(settings());
  ASSERT_NE(notifier, nullptr);
  const std::string id = new_uuid(1);
  const CallResult r = notifier->notify(ctx_, message(id, "lead@example.com").dump());
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  ASSERT_TRUE(r.output);
  const auto out = nlohmann::json::parse(*r.output);
  EXPECT_EQ(out.at("provider_id"), "<reos." + id + "@brokerage.example>");
  EXPECT_EQ(out.at("smtp_reply").get<std::string>().substr(0, 3), "250");

  const std::string raw = delivered(id);
  ASSERT_FALSE(raw.empty()) << "nothing delivered to the Maildir";
  const auto mail = reos::test::parse_mail(raw);
  EXPECT_EQ(mail.structure,
            "multipart/mixed[multipart/alternative[text/plain,text/html],application/pdf]");
  EXPECT_EQ(mail.from_address, "news@brokerage.example");
  EXPECT_EQ(mail.to_address, "lead@example.com");
  EXPECT_EQ(mail.subject, "Price drop on 12 Elm St");
  EXPECT_EQ(mail.message_id, "reos." + id + "@brokerage.example");
  EXPECT_EQ(mail.text, "The price dropped to $455,000.");
  EXPECT_EQ(mail.html, "<p>The price dropped to <b>$455,000</b>.</p>");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].bytes, std::string("%PDF-1.4\n\x00\x01\xfe\xff", 13));
  EXPECT_EQ(mail.headers.at("List-Unsubscribe"), "<https://hub.example/u/token123>");
  EXPECT_EQ(mail.headers.at("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  // Postfix records the TLS session in its Received header.
  EXPECT_NE(raw.find("(using TLS"), std::string::npos) << "not sent over STARTTLS";
  EXPECT_EQ(raw.find("Return-Path: <news@brokerage.example>"), 0u) << raw.substr(0, 200);
}

TEST_F(SmtpDelivery, RecipientRefusedWith5xxFailsWithTheServersText) {
  auto notifier = create(settings());
  ASSERT_NE(notifier, nullptr);
  const CallResult r = notifier->notify(ctx_, message(new_uuid(2), "rejected@example.com").dump());
  EXPECT_EQ(r.status, REOS_FAIL) << r.message;
  EXPECT_NE(r.message.find("550 5.1.1"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("User unknown"), std::string::npos) << r.message;
}

TEST_F(SmtpDelivery, RecipientDeferredWith4xxIsRetriedLater) {
  auto notifier = create(settings());
  ASSERT_NE(notifier, nullptr);
  const CallResult r = notifier->notify(ctx_, message(new_uuid(3), "busy@example.com").dump());
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_GT(r.retry_after_ms, 0u);
  EXPECT_NE(r.message.find("451 4.2.1"), std::string::npos) << r.message;
}

TEST_F(SmtpDelivery, UnreachableServerIsRetriedLater) {
  const int closed_port = reos::test::free_tcp_port();
  auto notifier = create(settings({{"url", "smtp://127.0.0.1:" + std::to_string(closed_port)}}));
  ASSERT_NE(notifier, nullptr);
  const CallResult r = notifier->notify(ctx_, message(new_uuid(4), "lead@example.com").dump());
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
}

TEST_F(SmtpDelivery, UntrustedServerCertificateFailsAndSendsNothing) {
  auto notifier = create(settings({{"ca_file", state_.at("OTHER_CA")}}));
  ASSERT_NE(notifier, nullptr);
  const std::string id = new_uuid(5);
  const CallResult r = notifier->notify(ctx_, message(id, "lead@example.com").dump());
  EXPECT_EQ(r.status, REOS_FAIL) << r.message;
  EXPECT_NE(r.message.find("certificate"), std::string::npos) << r.message;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(state_.at("MAILDIR")) / "new", ec))
    EXPECT_EQ(read_file(entry.path()).find(id), std::string::npos) << "sent despite the refusal";
}

TEST_F(SmtpDelivery, InvalidMessageIsRefusedWithoutContactingTheServer) {
  auto notifier = create(settings());
  ASSERT_NE(notifier, nullptr);
  auto m = message(new_uuid(6), "lead@example.com");
  m["subject"] = "x\r\nBcc: all@example.com";
  const CallResult r = notifier->notify(ctx_, m.dump());
  EXPECT_EQ(r.status, REOS_INVALID) << r.message;
}

TEST_F(SmtpDelivery, PlainTextPasswordIsRefusedAtCreate) {
  CallResult created;
  auto s = settings({{"username", "relay"}, {"password", "hunter2"}});
  auto instance = create_in_process_instance(PluginLibrary::open(SMTP_PLUGIN),
                                             std::make_shared<MemoryHostServices>(s.dump()), ctx_,
                                             s.dump(), created);
  EXPECT_EQ(instance, nullptr);
  EXPECT_NE(created.message.find("password"), std::string::npos) << created.message;
}

// SMTP AUTH against the fixture's submission port, which relays only for authenticated
// clients (Cyrus SASL in Postfix, PLAIN/LOGIN after STARTTLS). The password reaches the plugin
// as a secret reference, as in a tenant file.
class SmtpAuthDelivery : public SmtpDelivery {
 protected:
  nlohmann::json submission(const std::string& password) {
    ::setenv("REOS_TEST_SMTP_PASSWORD", password.c_str(), 1);
    return settings({{"url", "smtp://127.0.0.1:" + state_.at("SUBMIT_PORT") + "/hub.reos.test"},
                     {"username", state_.at("SASL_USER")},
                     {"password", "${REOS_TEST_SMTP_PASSWORD}"}});
  }
};

TEST_F(SmtpAuthDelivery, AuthenticatedSubmissionIsRelayed) {
  auto notifier = create(submission(state_.at("SASL_PASSWORD")));
  ASSERT_NE(notifier, nullptr);
  const std::string id = new_uuid(7);
  const CallResult r = notifier->notify(ctx_, message(id, "lead@example.com").dump());
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  const std::string raw = delivered(id);
  ASSERT_FALSE(raw.empty()) << "nothing delivered to the Maildir";
  // Postfix notes the authenticated sender in its Received header only when asked to; the
  // submission service's log line names the SASL login.
  const std::string log = read_file(fs::path(state_.at("DIR")) / "maillog");
  EXPECT_NE(log.find("sasl_username=" + state_.at("SASL_USER")), std::string::npos) << log;
}

TEST_F(SmtpAuthDelivery, WrongPasswordFailsWithTheServersTextAndSendsNothing) {
  auto notifier = create(submission("not-the-password"));
  ASSERT_NE(notifier, nullptr);
  const std::string id = new_uuid(8);
  const CallResult r = notifier->notify(ctx_, message(id, "lead@example.com").dump());
  EXPECT_EQ(r.status, REOS_FAIL) << r.message;
  EXPECT_NE(r.message.find("535"), std::string::npos) << r.message;
  EXPECT_TRUE(delivered(id, std::chrono::seconds(2)).empty()) << "sent despite the refusal";
}

TEST_F(SmtpAuthDelivery, WithoutCredentialsTheSubmissionPortRefusesToRelay) {
  auto notifier = create(
      settings({{"url", "smtp://127.0.0.1:" + state_.at("SUBMIT_PORT") + "/hub.reos.test"}}));
  ASSERT_NE(notifier, nullptr);
  const CallResult r = notifier->notify(ctx_, message(new_uuid(9), "lead@example.com").dump());
  EXPECT_EQ(r.status, REOS_FAIL) << r.message;
  EXPECT_NE(r.message.find("5.7.1"), std::string::npos) << r.message;
}
