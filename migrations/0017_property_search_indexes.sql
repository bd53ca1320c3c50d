-- The property search's indexes, revised.
--
-- City searches are mostly "in this city, cheapest first": with the price order in the city
-- index the page is read in order instead of sorted (0011 indexed the city alone).
DROP INDEX IF EXISTS properties_city;
CREATE INDEX properties_city ON properties (tenant_id, lower(city), list_price, listing_key);

-- 0006's (tenant_id, list_price) and (tenant_id, modification_timestamp DESC) are prefixes of
-- 0011's keyset indexes (tenant_id, list_price ASC NULLS LAST, listing_key) and
-- (tenant_id, modification_timestamp DESC NULLS LAST, listing_key DESC), which serve every
-- range, order and max() the search and the sync ask of these columns. Each listing written
-- paid for two index entries nobody read.
DROP INDEX IF EXISTS properties_price;
DROP INDEX IF EXISTS properties_modified;
