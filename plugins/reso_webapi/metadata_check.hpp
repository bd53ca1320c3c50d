// metadata_check.hpp — the connector's settings against the server's $metadata: the entity
// set, the key and timestamp fields and every $select field must be properties of it, every
// $expand a navigation property. Run once per instance, before the first page.
#pragma once

#include "odata_metadata.hpp"
#include "reso_settings.hpp"

namespace reso {

/// Throws reos::Invalid naming the setting and the missing name
/// ("settings.select: 'SwimmingPool' is not a property of Property in this server's $metadata").
void check_against_metadata(const Settings& settings, const EntityFields& fields);

}  // namespace reso
