#include "bench_seed.hpp"

#include <pqxx/pqxx>

#include "db/migration_set.hpp"
#include "db/migrator.hpp"

namespace reos::bench {

void drop_bench_database(const std::string& admin_conninfo, const std::string& database) {
  pqxx::connection admin(admin_conninfo);
  pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + admin.quote_name(database) +
                                   " WITH (FORCE)");
}

SeededData seed_bench_database(const std::string& admin_conninfo, const std::string& database,
                               long listings, long contacts) {
  drop_bench_database(admin_conninfo, database);
  {
    pqxx::connection admin(admin_conninfo);
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + admin.quote_name(database));
  }
  pqxx::connection conn(admin_conninfo + " dbname=" + database);
  db::Migrator(db::embedded_migration_set()).apply(conn);
  SeededData seeded;
  pqxx::work tx(conn);
  tx.exec("INSERT INTO tenants (id, name) VALUES ('bench', 'Benchmark')");
  seeded.user_id = tx.exec(
                         "INSERT INTO users (email, display_name) VALUES"
                         " ('agent@bench.test', 'Agent') RETURNING id::text")[0][0]
                       .as<std::string>();
  tx.exec_params(
      "INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES"
      " ('bench', $1::uuid, 'agent')",
      seeded.user_id);
  // Deterministic spread: statuses 60% Active, prices 150k–1.65M in 1k steps, 1–6 beds,
  // ten cities, points within ~15 km of downtown Seattle, a year of modification times.
  tx.exec_params(
      "INSERT INTO properties (tenant_id, listing_key, source_connector, data, record_hash,"
      " standard_status, list_price, bedrooms_total, bathrooms_total, city, postal_code, geog,"
      " modification_timestamp)"
      " SELECT 'bench', 'BENCH-' || i, 'bench',"
      " jsonb_build_object('ListingKey', 'BENCH-' || i, 'ListPrice', price, 'City', city,"
      "   'UnparsedAddress', i || ' Bench Ave', 'PropertyType', 'Residential',"
      "   'LivingArea', 800 + i % 3000),"
      " md5(i::text), status, price, 1 + i % 6, 1 + (i % 4) * 0.5, city, '981' || lpad((i % "
      "99)::text, 2, '0'),"
      " ST_SetSRID(ST_MakePoint(-122.33 + ((i * 7919) % 2000 - 1000) / 5000.0,"
      "   47.61 + ((i * 104729) % 2000 - 1000) / 7000.0), 4326)::geography,"
      " timestamptz '2025-01-01' + (i * 317 % 525600) * interval '1 minute'"
      " FROM (SELECT i, (ARRAY['Active','Active','Active','Pending','Closed'])[1 + i % 5] AS "
      "status,"
      "   150000 + (i * 37 % 1500) * 1000 AS price,"
      "   (ARRAY['Seattle','Bellevue','Redmond','Kirkland','Renton','Kent','Tacoma','Everett',"
      "   'Bothell','Issaquah'])[1 + i % 10] AS city FROM generate_series(1, $1::bigint) AS i) s",
      listings);
  const pqxx::result ids = tx.exec_params(
      "INSERT INTO contacts (tenant_id, first_name, last_name, email, phone, status, owner_user_id,"
      " score, tags) SELECT 'bench', 'First' || i, 'Last' || i, 'c' || i || '@bench.test',"
      " '+1206555' || lpad((i % 10000)::text, 4, '0'), (ARRAY['new','contacted','qualified'])[1 + "
      "i % 3],"
      " $2::uuid, i % 101, ARRAY['buyer'] FROM generate_series(1, $1::bigint) AS i RETURNING "
      "id::text",
      contacts, seeded.user_id);
  for (int i = 0; i < static_cast<int>(ids.size()) && i < 1000; ++i) {
    seeded.contact_ids.push_back(ids[i][0].as<std::string>());
  }
  tx.commit();
  pqxx::nontransaction(conn).exec("VACUUM ANALYZE");
  // Measure the steady state, not the write-back of the bulk load: without this, the
  // checkpoint of the freshly seeded 100,000 rows lands in the first measured seconds.
  pqxx::nontransaction(conn).exec("CHECKPOINT");
  return seeded;
}

}  // namespace reos::bench
