#include "pipeline/pipeline_config_loader.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "pipeline/predicate_parser.hpp"
#include "pipeline/yaml_scalar_position.hpp"

namespace reos::pipeline {
namespace {

using config::ConfigError;
using config::error_at;
using config::YamlDocument;
using nlohmann::json;

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string string_or_empty(const json* value) {
  return value && value->is_string() ? value->get<std::string>() : "";
}

class PipelineReader {
 public:
  PipelineReader(const YamlDocument& doc, std::string_view text, std::vector<ConfigError>& errors)
      : doc_(doc), text_(text), errors_(errors) {
    const json* connectors = member(doc.root(), "connectors");
    if (!connectors || !connectors->is_array()) return;
    for (const json& connector : *connectors) {
      const std::string id = string_or_empty(member(connector, "id"));
      if (!id.empty()) connector_ids_.push_back(id);
    }
  }

  std::vector<PipelineConfig> read() {
    std::vector<PipelineConfig> pipelines;
    const json* list = member(doc_.root(), "pipelines");
    if (!list || !list->is_array()) return pipelines;
    std::map<std::string, int> first_line;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string pointer = "/pipelines/" + std::to_string(i);
      const json& item = (*list)[i];
      if (!item.is_object()) continue;
      PipelineConfig pipeline = read_pipeline(item, pointer);
      if (!pipeline.id.empty()) {
        const int line = doc_.origin_of(pointer + "/id").value.line;
        if (const auto first = first_line.find(pipeline.id); first != first_line.end()) {
          add(error_at(doc_, pointer + "/id",
                       "duplicate pipeline id '" + pipeline.id + "' (first defined at line " +
                           std::to_string(first->second) + ")"));
        } else {
          first_line.emplace(pipeline.id, line);
        }
      }
      pipelines.push_back(std::move(pipeline));
    }
    return pipelines;
  }

 private:
  PipelineConfig read_pipeline(const json& item, const std::string& pointer) {
    PipelineConfig pipeline;
    pipeline.id = string_or_empty(member(item, "id"));
    pipeline.record_type = string_or_empty(member(item, "record_type"));
    const json* enabled = member(item, "enabled");
    pipeline.enabled = !enabled || !enabled->is_boolean() || enabled->get<bool>();
    read_sources(item, pointer, pipeline);
    read_stages(item, pointer, pipeline.stages);
    read_routes(item, pointer, pipeline);
    return pipeline;
  }

  void read_sources(const json& item, const std::string& pointer, PipelineConfig& pipeline) {
    const json* sources = member(item, "sources");
    if (!sources || !sources->is_array()) return;
    if (sources->empty()) {
      add(error_at(doc_, pointer + "/sources", "a pipeline needs at least one source"));
      return;
    }
    std::map<std::string, std::size_t> seen;
    for (std::size_t j = 0; j < sources->size(); ++j) {
      const std::string at = pointer + "/sources/" + std::to_string(j);
      PipelineSource source;
      source.connector = connector_reference(member((*sources)[j], "connector"), at + "/connector");
      if (!source.connector.empty() && !seen.emplace(source.connector, j).second) {
        add(error_at(doc_, at + "/connector",
                     "connector '" + source.connector + "' is already a source of this pipeline"));
      }
      const json* schedule = member((*sources)[j], "schedule");
      if (schedule && schedule->is_string()) {
        try {
          source.schedule = parse_schedule(schedule->get<std::string>());
        } catch (const ScheduleError& e) {
          add(inside(at + "/schedule", e.column(), e.reason()));
        }
      }
      pipeline.sources.push_back(std::move(source));
    }
  }

  void read_stages(const json& item, const std::string& pointer, PipelineStages& stages) {
    const json* node = member(item, "stages");
    if (!node || !node->is_object()) return;
    const std::string at = pointer + "/stages";
    if (const json* normalize = member(*node, "normalize")) {
      stages.normalize_field_map = string_or_empty(member(*normalize, "field_map"));
    }
    if (const json* enrich = member(*node, "enrich"); enrich && enrich->is_array()) {
      std::map<std::string, std::size_t> seen;
      for (std::size_t k = 0; k < enrich->size(); ++k) {
        const std::string ref = at + "/enrich/" + std::to_string(k);
        const std::string id = connector_reference(&(*enrich)[k], ref);
        if (id.empty()) continue;
        if (!seen.emplace(id, k).second) {
          add(error_at(doc_, ref, "vendor '" + id + "' is listed twice in enrich"));
        }
        stages.enrich.push_back(id);
      }
    }
    stages.score = connector_reference(member(*node, "score"), at + "/score");
  }

  void read_routes(const json& item, const std::string& pointer, PipelineConfig& pipeline) {
    const json* routes = member(item, "routes");
    if (!routes || !routes->is_array()) return;
    std::map<std::string, int> first_line;
    for (std::size_t r = 0; r < routes->size(); ++r) {
      const json& node = (*routes)[r];
      const std::string at = pointer + "/routes/" + std::to_string(r);
      if (!node.is_object()) continue;
      PipelineRoute route;
      route.id = string_or_empty(member(node, "id"));
      if (!route.id.empty()) {
        const int line = doc_.origin_of(at + "/id").value.line;
        if (const auto first = first_line.find(route.id); first != first_line.end()) {
          add(error_at(doc_, at + "/id",
                       "duplicate route id '" + route.id +
                           "' in this pipeline (first defined at "
                           "line " +
                           std::to_string(first->second) + ")"));
        } else {
          first_line.emplace(route.id, line);
        }
      }
      if (const json* when = member(node, "when"); when && when->is_string()) {
        route.when = when->get<std::string>();
        try {
          route.predicate = parse_predicate(route.when);
        } catch (const PredicateError& e) {
          // The column within the predicate too: a folded block scalar maps only approximately.
          add(inside(
              at + "/when", e.column(),
              e.reason() + " at column " + std::to_string(e.column()) + " of the predicate"));
        }
      }
      if (const json* to = member(node, "to"); to && to->is_array()) {
        if (to->empty()) add(error_at(doc_, at + "/to", "a route needs at least one target"));
        for (std::size_t t = 0; t < to->size(); ++t) {
          if (auto target = read_target((*to)[t], at + "/to/" + std::to_string(t))) {
            route.to.push_back(std::move(*target));
          }
        }
      }
      pipeline.routes.push_back(std::move(route));
    }
  }

  std::optional<RouteTarget> read_target(const json& node, const std::string& at) {
    if (!node.is_object()) return std::nullopt;
    static const std::pair<const char*, RouteTarget::Kind> kKinds[] = {
        {"notifier", RouteTarget::Kind::kNotifier},
        {"exporter", RouteTarget::Kind::kExporter},
        {"job", RouteTarget::Kind::kJob}};
    int named = 0;
    RouteTarget target;
    for (const auto& [key, kind] : kKinds) {
      if (!member(node, key)) continue;
      ++named;
      target.kind = kind;
      target.name = kind == RouteTarget::Kind::kJob
                        ? string_or_empty(member(node, key))
                        : connector_reference(member(node, key), at + "/" + key);
    }
    if (named != 1) {
      add(error_at(doc_, at,
                   "a target names exactly one of notifier, exporter or job (found " +
                       std::to_string(named) + ")"));
      return std::nullopt;
    }
    if (member(node, "template") && target.kind != RouteTarget::Kind::kNotifier) {
      add(error_at(doc_, at + "/template", "'template' applies to notifier targets only", true));
    }
    target.template_name = string_or_empty(member(node, "template"));
    const json* with = member(node, "with");
    target.with_json = with && with->is_object() ? with->dump() : "{}";
    return target;
  }

  // The id a reference names when it is a string naming a declared connector; "" otherwise
  // (after reporting an unknown one).
  std::string connector_reference(const json* value, const std::string& pointer) {
    if (!value || !value->is_string()) return "";
    const std::string id = value->get<std::string>();
    for (const std::string& known : connector_ids_) {
      if (known == id) return id;
    }
    std::string known_list;
    for (const std::string& known : connector_ids_) {
      known_list += (known_list.empty() ? "" : ", ") + known;
    }
    add(error_at(doc_, pointer,
                 "unknown connector '" + id + "' (" +
                     (known_list.empty() ? std::string("this tenant declares no connectors")
                                         : "this tenant's connectors: " + known_list) +
                     ")"));
    return "";
  }

  // An error at byte `column` (1-based) of the string scalar at `pointer`.
  ConfigError inside(const std::string& pointer, std::size_t column, std::string message) const {
    const config::SourcePos start = doc_.origin_of(pointer).value;
    const config::SourcePos at = position_in_scalar(text_, start, column - 1);
    return {at.source, at.line, at.column, config::dotted_path(doc_.root(), pointer),
            std::move(message)};
  }

  void add(ConfigError error) { errors_.push_back(std::move(error)); }

  const YamlDocument& doc_;
  std::string_view text_;
  std::vector<ConfigError>& errors_;
  std::vector<std::string> connector_ids_;
};

}  // namespace

std::vector<PipelineConfig> read_pipelines(const YamlDocument& doc, std::string_view text,
                                           std::vector<ConfigError>& errors) {
  return PipelineReader(doc, text, errors).read();
}

}  // namespace reos::pipeline
