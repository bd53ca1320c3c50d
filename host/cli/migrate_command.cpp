#include <cstdio>
#include <iostream>
#include <pqxx/pqxx>

#include "cli/command_line.hpp"
#include "config/hub_config.hpp"
#include "core/exit_codes.hpp"
#include "db/connection_pool.hpp"
#include "db/migrator.hpp"

namespace reos::cli {
namespace {

const char* kUsage = R"(usage: reos migrate [--status] [--dir DIR]

Applies pending database migrations in order, each in its own transaction, recording each
in schema_migrations with its checksum. Several runs at once are safe: they take turns on a
PostgreSQL advisory lock. Refuses (exit 4) when an applied migration's file has changed or
the database has migrations this binary does not know.

  --status   list every migration and whether it is applied; exit 4 unless current
  --dir DIR  use the .sql files in DIR instead of the ones built into this binary
)";

void print_status(const std::vector<db::MigrationState>& rows) {
  std::printf("%-8s %-48s %-10s %s\n", "VERSION", "NAME", "STATE", "APPLIED AT");
  for (const auto& r : rows) {
    const char* state = !r.applied       ? "pending"
                        : !r.in_files    ? "unknown"
                        : !r.checksum_ok ? "CHANGED"
                                         : "applied";
    std::printf("%-8d %-48s %-10s %s\n", r.version, r.name.c_str(), state, r.applied_at.c_str());
  }
}

}  // namespace

int migrate_command(const Invocation& inv) {
  if (wants_help(inv.args)) {
    std::cout << kUsage;
    return kExitOk;
  }
  bool status_only = false;
  std::string dir;
  for (std::size_t i = 0; i < inv.args.size(); ++i) {
    if (inv.args[i] == "--status") {
      status_only = true;
    } else if (inv.args[i] == "--dir" && i + 1 < inv.args.size()) {
      dir = inv.args[++i];
    } else {
      std::cerr << "reos migrate: unexpected argument '" << inv.args[i] << "'\n\n" << kUsage;
      return kExitUsage;
    }
  }
  config::HubConfig hub;
  if (!load_config_or_report(inv, hub)) return kExitConfig;

  std::vector<db::Migration> files;
  try {
    files = dir.empty() ? db::embedded_migration_set() : db::migration_set_from_dir(dir);
  } catch (const std::exception& e) {
    std::cerr << "reos " << e.what() << "\n";
    return kExitConfig;
  }
  db::Migrator migrator(std::move(files));
  try {
    auto conn = db::connect(hub.database.conninfo());
    if (status_only) {
      print_status(migrator.status(*conn));
      db::SchemaCheck check = migrator.check(*conn);
      std::cout << check.detail << "\n";
      return check.status == db::SchemaCheck::Status::current ? kExitOk : kExitDatabase;
    }
    int n = migrator.apply(*conn, [](const db::Migration& m, double ms) {
      std::printf("applied %s (%.1f ms)\n", m.name.c_str(), ms);
      std::fflush(stdout);
    });
    std::cout << (n == 0 ? "database schema is current" : "migrated") << " ("
              << migrator.migrations().size() << " migration(s) known)\n";
    return kExitOk;
  } catch (const db::MigrationError& e) {
    std::cerr << "reos " << e.what() << "\n";
    return kExitDatabase;
  } catch (const pqxx::failure& e) {
    std::cerr << "reos migrate: database error: " << e.what();
    return kExitDatabase;
  } catch (const std::runtime_error& e) {
    std::cerr << "reos migrate: " << e.what() << "\n";
    return kExitDatabase;
  }
}

}  // namespace reos::cli
