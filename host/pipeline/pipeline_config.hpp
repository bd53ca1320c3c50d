#pragma once

#include <string>
#include <vector>

#include "pipeline/predicate.hpp"
#include "pipeline/schedule_spec.hpp"

namespace reos::pipeline {

/// A connector the pipeline pulls from, and when (docs/pipelines.md#sources).
struct PipelineSource {
  std::string connector;  ///< connector id of the tenant
  ScheduleSpec schedule;
};

/// The fixed-order stages between pulling and routing; each is optional.
struct PipelineStages {
  std::string normalize_field_map;  ///< field map path as written; "" = records are canonical
  std::vector<std::string> enrich;  ///< vendor connector ids, highest priority first
  std::string score;                ///< scorer connector id; "" = no scoring
};

/// Where a matching record goes: a notifier or exporter connector, or a domain job.
struct RouteTarget {
  enum class Kind { kNotifier, kExporter, kJob };
  Kind kind = Kind::kNotifier;
  std::string name;           ///< connector id (notifier, exporter) or job name (`cma.generate`)
  std::string template_name;  ///< notifier message template; "" otherwise
  std::string with_json;      ///< the `with:` mapping as JSON text ("{}" when absent)
};

/// A route: records for which `when` holds go to every target.
struct PipelineRoute {
  std::string id;
  std::string when;  ///< the predicate as written ("" = every record)
  Predicate predicate;
  std::vector<RouteTarget> to;
};

/// One pipeline of a tenant: sources → normalize → enrich → score → routes.
struct PipelineConfig {
  std::string id;
  std::string record_type;  ///< property | contact | event | message
  bool enabled = true;      ///< false: kept in config, never scheduled
  std::vector<PipelineSource> sources;
  PipelineStages stages;
  std::vector<PipelineRoute> routes;
};

}  // namespace reos::pipeline
