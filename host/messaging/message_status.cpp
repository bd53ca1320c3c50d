#include "messaging/message_status.hpp"

#include <array>
#include <utility>

namespace reos::messaging {
namespace {

// bounced and failed share a rank: they are alternatives, and one never replaces the other.
constexpr std::array<std::pair<std::string_view, int>, 9> kRanks{{{"queued", 0},
                                                                  {"sent", 1},
                                                                  {"delivered", 2},
                                                                  {"bounced", 3},
                                                                  {"failed", 3},
                                                                  {"opened", 4},
                                                                  {"clicked", 5},
                                                                  {"replied", 6},
                                                                  {"suppressed", 7}}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kEventStatus{{
    {"processed", "sent"},
    {"sent", "sent"},
    {"delivered", "delivered"},
    {"bounced", "bounced"},
    {"blocked", "bounced"},
    {"dropped", "failed"},
    {"failed", "failed"},
    {"opened", "opened"},
    {"clicked", "clicked"},
    {"inbound", "replied"},
}};

}  // namespace

int status_rank(std::string_view status) {
  for (const auto& [name, rank] : kRanks) {
    if (name == status) return rank;
  }
  return -1;
}

std::string_view status_for_event(std::string_view type) {
  for (const auto& [event, status] : kEventStatus) {
    if (event == type) return status;
  }
  return "";
}

std::string_view status_time_column(std::string_view status) {
  if (status == "sent") return "sent_at";
  if (status == "delivered") return "delivered_at";
  if (status == "opened") return "opened_at";
  if (status == "clicked") return "clicked_at";
  if (status == "bounced") return "bounced_at";
  if (status == "failed") return "failed_at";
  if (status == "suppressed") return "suppressed_at";
  if (status == "replied") return "replied_at";
  return "";
}

}  // namespace reos::messaging
