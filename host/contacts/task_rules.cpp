#include "contacts/task_rules.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "contacts/list_params.hpp"
#include "contacts/tenant_members.hpp"

namespace reos::contacts {
namespace {

std::string text_or_empty(const nlohmann::json& task, const char* member) {
  const auto it = task.find(member);
  return it == task.end() || !it->is_string() ? "" : it->get<std::string>();
}

void check_related(pqxx::transaction_base& tx, const std::string& type, const std::string& id,
                   std::vector<http::InvalidParam>& invalid) {
  if (type.empty() != id.empty()) {
    invalid.push_back(
        {type.empty() ? "related_type" : "related_id", "related_type and related_id go together"});
    return;
  }
  if (type == "contact") {
    if (!is_uuid(id) || tx.exec_params("SELECT 1 FROM contacts WHERE id = $1::uuid AND"
                                       " deleted_at IS NULL",
                                       id)
                            .empty()) {
      invalid.push_back({"related_id", "no contact with this id"});
    }
  } else if (type == "property") {
    if (tx.exec_params("SELECT 1 FROM properties WHERE tenant_id = reos_current_tenant() AND"
                       " listing_key = $1",
                       id)
            .empty()) {
      invalid.push_back({"related_id", "no property with this ListingKey"});
    }
  }
}

}  // namespace

bool is_calendar_date(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int year = std::stoi(text.substr(0, 4));
  const int month = std::stoi(text.substr(5, 2));
  const int day = std::stoi(text.substr(8, 2));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

void check_task(pqxx::transaction_base& tx, const nlohmann::json& task) {
  std::vector<http::InvalidParam> invalid;
  const std::string due = text_or_empty(task, "due_date");
  if (!due.empty() && !is_calendar_date(due)) {
    invalid.push_back({"due_date", "is not a day of the calendar"});
  }
  const std::string assignee = text_or_empty(task, "assignee_user_id");
  if (!assignee.empty() && !is_tenant_member(tx, assignee)) {
    invalid.push_back({"assignee_user_id", "is not a member of this tenant"});
  }
  check_related(tx, text_or_empty(task, "related_type"), text_or_empty(task, "related_id"),
                invalid);
  if (!invalid.empty()) api::throw_invalid(std::move(invalid));
}

}  // namespace reos::contacts
