#include "smtp_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

namespace smtp {
namespace {

struct EasyCleanup {
  void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistFree {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

/// The upload source for DATA.
struct Reader {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_body(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  const std::size_t n = std::min(size * count, r->data->size() - r->offset);
  std::memcpy(buffer, r->data->data() + r->offset, n);
  r->offset += n;
  return n;
}

/// Keeps the server's replies (libcurl reports them as incoming "headers").
int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type == CURLINFO_HEADER_IN) {
    auto* reply = static_cast<std::string*>(user);
    std::string line(data, size);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    // A new reply replaces the previous one; continuation lines ("250-") are joined.
    if (reply->size() >= 4 && (*reply)[3] == '-') {
      *reply += "\n" + line;
    } else {
      *reply = line;
    }
  }
  return 0;
}

bool temporary_transport_error(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

}  // namespace

SendOutcome send_mail(const ComposedMail& mail, const SmtpSettings& settings) {
  init_curl_once();
  SendOutcome out;
  std::unique_ptr<CURL, EasyCleanup> curl(curl_easy_init());
  if (!curl) {
    out.kind = SendOutcome::Kind::temporary;
    out.detail = "libcurl could not start a session";
    return out;
  }
  CURL* c = curl.get();
  Reader reader{&mail.data};
  std::string last_reply;
  char error[CURL_ERROR_SIZE] = {0};
  std::unique_ptr<curl_slist, SlistFree> rcpt(
      curl_slist_append(nullptr, ("<" + mail.envelope_to + ">").c_str()));
  const std::string mail_from = "<" + mail.envelope_from + ">";

  curl_easy_setopt(c, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(c, CURLOPT_READDATA, &reader);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.data.size()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, settings.timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, std::min(settings.timeout_ms, 10000L));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &last_reply);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds on_debug; nothing is printed
  const bool implicit_tls = settings.url.rfind("smtps://", 0) == 0;
  if (!implicit_tls) {
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     settings.starttls == StartTls::required        ? CURLUSESSL_ALL
                     : settings.starttls == StartTls::opportunistic ? CURLUSESSL_TRY
                                                                    : CURLUSESSL_NONE);
  }
  if (!settings.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, settings.verify_peer ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, settings.verify_peer ? 2L : 0L);
  if (!settings.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
  }

  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  out.smtp_code = code;
  out.reply = last_reply;
  if (rc == CURLE_OK) {
    out.kind = SendOutcome::Kind::sent;
    return out;
  }
  out.detail = std::string(curl_easy_strerror(rc)) + (error[0] ? std::string(": ") + error : "");
  if (!last_reply.empty()) out.detail += " (server said: " + last_reply + ")";
  // The reply code is the server's own verdict: 4xx try again later, 5xx never.
  if (code >= 400 && code < 500) {
    out.kind = SendOutcome::Kind::temporary;
  } else if (code >= 500) {
    out.kind = SendOutcome::Kind::permanent;
  } else {
    out.kind =
        temporary_transport_error(rc) ? SendOutcome::Kind::temporary : SendOutcome::Kind::permanent;
  }
  return out;
}

}  // namespace smtp
