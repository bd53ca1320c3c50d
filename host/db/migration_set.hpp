#pragma once

#include <string>
#include <vector>

namespace reos::db {

/// One migration file: `NNNN_description.sql`.
struct Migration {
  int version = 0;       ///< the leading number
  std::string name;      ///< file name, e.g. "0001_initial_schema.sql"
  std::string sql;       ///< the whole file
  std::string checksum;  ///< lowercase hex SHA-256 of `sql`
};

/// The migrations compiled into this binary, in version order.
std::vector<Migration> embedded_migration_set();

/// Every `*.sql` file of `dir`, in version order. Throws std::runtime_error when the folder
/// cannot be read, a name does not start with a number, or two files share a number.
std::vector<Migration> migration_set_from_dir(const std::string& dir);

/// Lowercase hex SHA-256 of `data` (OpenSSL).
std::string sha256_hex(const std::string& data);

}  // namespace reos::db
