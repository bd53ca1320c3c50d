#pragma once

// The CRM resources of the REST API (docs/contacts.md):
//   /api/v1/contacts            POST, GET (filters status, owner, tag, q; cursor pages)
//   /api/v1/contacts/{id}       GET, PATCH (JSON merge patch), DELETE (soft)
//   /api/v1/contacts/{id}/notes POST (with @mentions → note_mentions + note.mentioned), GET
//   /api/v1/tasks               POST, GET (filters status, assignee, related, due dates)
//   /api/v1/tasks/{id}          GET, PATCH, DELETE

namespace reos::http {
class Router;
}
namespace reos::api {
class ApiContext;
}

namespace reos::contacts {

/// Registers contacts, notes and tasks (the one line host/cli/rest_api_routes.cpp calls).
void add_contact_routes(http::Router& router, const api::ApiContext& api);

/// The parts of add_contact_routes, each in its own file.
void add_contact_crud_routes(http::Router& router, const api::ApiContext& api);
void add_note_routes(http::Router& router, const api::ApiContext& api);
void add_task_routes(http::Router& router, const api::ApiContext& api);

}  // namespace reos::contacts
