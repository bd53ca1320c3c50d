#pragma once

// The variables a template may use (docs/messaging.md, "Templates"): the built-in message model
// below plus the caller data the template declares under `variables:`.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace reos::messaging {

struct ContactInfo;
struct MessagingSettings;

/// Every built-in variable path ("contact.first_name", …, "unsubscribe_url").
const std::vector<std::string>& builtin_variables();

/// True when `path` is a built-in variable or one of the built-in objects ("contact").
bool is_builtin(const std::string& path);

/// What the host knows when it renders one message.
struct ModelInput {
  std::string message_id, channel, recipient, recipient_name;
  std::string tenant_id, tenant_name;
  const ContactInfo* contact = nullptr;  ///< nullptr: contact.* render empty
  std::string unsubscribe_url;           ///< "" unless a marketing email
};

/// The render model: the built-ins, with the caller's `data` object at the top level
/// (built-in names win over caller keys of the same name).
nlohmann::json build_model(const ModelInput& in, const MessagingSettings& settings,
                           const nlohmann::json& data);

}  // namespace reos::messaging
