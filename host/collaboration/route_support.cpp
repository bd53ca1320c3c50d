#include "collaboration/route_support.hpp"

#include <pqxx/pqxx>

#include "collaboration/entity_ref.hpp"

namespace reos::collaboration {

std::string path_uuid(const api::ApiRequest& req, const std::string& what) {
  auto it = req.http.path_params.find("id");
  if (it == req.http.path_params.end() || !looks_like_uuid(it->second)) api::throw_not_found(what);
  return it->second;
}

void in_tenant_checked(const api::ApiContext& api, const api::ApiRequest& req,
                       const std::string& conflict_detail,
                       const std::function<void(pqxx::transaction_base&)>& fn) {
  try {
    api.in_tenant(req, fn);
  } catch (const pqxx::unique_violation&) {
    api::throw_conflict(conflict_detail);
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() != "RE409") throw;
    api::throw_conflict("the record is no longer in a state that allows this change");
  }
}

const std::string& require_user(const api::ApiRequest& req, const std::string& what) {
  if (req.caller.kind != api::Caller::Kind::user || req.caller.user_id.empty())
    api::throw_forbidden(what + " needs a signed-in user; API keys have no inbox or assignments");
  return req.caller.user_id;
}

http::Response json_reply(int status, std::string body) {
  return http::json_response(status, std::move(body));
}

}  // namespace reos::collaboration
