#include "signed_requests.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <chrono>
#include <memory>
#include <stdexcept>

namespace bench {
namespace {

std::string base64(const unsigned char* data, std::size_t len) {
  std::string out(4 * ((len + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unbase64(const std::string& text) {
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw std::invalid_argument("bad base64 secret");
  std::size_t len = static_cast<std::size_t>(n);
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() > 1 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string now_s() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
}

std::string http_post(const std::string& path, const std::vector<std::string>& headers,
                      const std::string& body) {
  std::string r = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  r += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
       "\r\n\r\n" + body;
  return r;
}

}  // namespace

std::string event_id(const std::string& first, int k) {
  return k == 0 ? first : first + "-" + std::to_string(k);
}

PreparedRequests standard_webhook_requests(const std::string& path, const std::string& whsec,
                                           const std::string& run, int count) {
  const std::string key = unbase64(whsec.substr(whsec.find('_') + 1));
  PreparedRequests out;
  const std::string ts = now_s();
  for (int i = 0; i < count; ++i) {
    const std::string id = "msg_" + run + "_" + std::to_string(i);
    const std::string body =
        "{\"type\":\"lead.created\",\"timestamp\":\"2026-11-25T00:00:00Z\","
        "\"data\":{\"lead\":" +
        std::to_string(i) + ",\"email\":\"lead" + std::to_string(i) + "@example.com\"}}";
    const std::string content = id + "." + ts + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &mac_len);
    out.raw.push_back(http_post(path,
                                {"webhook-id: " + id, "webhook-timestamp: " + ts,
                                 "webhook-signature: v1," + base64(mac, mac_len)},
                                body));
    out.first_ids.push_back(id);
  }
  return out;
}

PreparedRequests sendgrid_requests(const std::string& path, const std::string& private_key_pem,
                                   const std::string& run, int count, int events_per_request) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), &EVP_PKEY_free);
  if (!pkey) throw std::runtime_error("cannot read the EC private key");
  PreparedRequests out;
  out.events_per_request = events_per_request;
  const std::string ts = now_s();
  for (int i = 0; i < count; ++i) {
    const std::string first = "sg_" + run + "_" + std::to_string(i);
    std::string body = "[";
    for (int k = 0; k < events_per_request; ++k) {
      if (k) body += ",";
      body += "{\"email\":\"r" + std::to_string(k) +
              "@example.com\",\"event\":\"delivered\","
              "\"sg_event_id\":\"" +
              event_id(first, k) + "\",\"sg_message_id\":\"m" + std::to_string(i) +
              ".filter0001\",\"timestamp\":" + ts + ",\"response\":\"250 OK\"}";
    }
    body += "]\r\n";  // SendGrid signs the trailing CRLF too
    const std::string signed_bytes = ts + body;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t sig_len = 0;
    if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &sig_len,
                       reinterpret_cast<const unsigned char*>(signed_bytes.data()),
                       signed_bytes.size()) != 1)
      throw std::runtime_error("ECDSA sign failed");
    std::string sig(sig_len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &sig_len,
                       reinterpret_cast<const unsigned char*>(signed_bytes.data()),
                       signed_bytes.size()) != 1)
      throw std::runtime_error("ECDSA sign failed");
    out.raw.push_back(
        http_post(path,
                  {"X-Twilio-Email-Event-Webhook-Signature: " +
                       base64(reinterpret_cast<const unsigned char*>(sig.data()), sig_len),
                   "X-Twilio-Email-Event-Webhook-Timestamp: " + ts},
                  body));
    out.first_ids.push_back(first);
  }
  return out;
}

}  // namespace bench
