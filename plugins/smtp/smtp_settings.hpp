#pragma once

// The smtp plugin's connector settings, read once when the connector starts.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace smtp {

/// How the connection is protected. `smtps://` URLs always use implicit TLS.
enum class StartTls {
  off,            ///< never upgrade (only for a relay on loopback)
  opportunistic,  ///< upgrade when the server offers STARTTLS
  required        ///< refuse to send unless the session is upgraded
};

struct SmtpSettings {
  std::string url;  ///< smtp://host:port or smtps://host:port (EHLO name as the path)
  StartTls starttls = StartTls::required;
  std::string ca_file;  ///< PEM bundle to verify the server with; "" = the system store
  bool verify_peer = true;
  std::string username;  ///< "" = no AUTH
  std::string password;  ///< resolved secret (never logged)
  std::string from;      ///< default envelope and header sender
  std::string from_name;
  std::string message_id_domain;  ///< right-hand side of Message-ID; default: from's domain
  long timeout_ms = 30000;
};

/// Reads validated settings; `password` is still a secret reference here (resolve it with
/// the host's secret service). Throws std::invalid_argument naming the bad key.
SmtpSettings parse_settings(const nlohmann::json& settings);

/// "acme.example" for "news@acme.example"; "" when there is no '@'.
std::string domain_of(const std::string& address);

}  // namespace smtp
