#include "mapping/validate_config.h"

#include <set>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "mapping/criteria.h"
#include "mapping/system_schema.h"
#include "mapping/text_template.h"
#include "mapping/validate_mapping.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ConfigProblem;
using ferry::v1::FerryConfig;
using ferry::v1::IntegrationConfig;

template <typename T>
int IndexByName(const google::protobuf::RepeatedPtrField<T>& items, absl::string_view name) {
  for (int i = 0; i < items.size(); ++i) {
    if (items[i].name() == name) return i;
  }
  return -1;
}

class ConfigChecker {
 public:
  ConfigChecker(const FerryConfig& config, const WorkflowCatalog& workflows)
      : config_(config), workflows_(workflows) {}

  std::vector<ConfigProblem> Run() {
    for (int i = 0; i < config_.systems_size(); ++i) {
      if (FindSystemSchema(config_.systems(i).kind()) == nullptr) {
        Add(Problem(absl::StrCat("systems[", i, "].kind"),
                    absl::StrCat("system kind \"", config_.systems(i).kind(), "\" is not known"),
                    KnownKindsFix()));
      }
    }
    for (int i = 0; i < config_.integrations_size(); ++i) CheckIntegration(i);
    return std::move(problems_);
  }

 private:
  void Add(ConfigProblem problem) {
    if (seen_.insert({problem.field_path(), problem.message()}).second) {
      problems_.push_back(std::move(problem));
    }
  }

  static std::string KnownKindsFix() {
    const std::vector<std::string> kinds = SystemSchemaKinds();
    if (kinds.empty()) return "this build registers no system kinds; link //connectors:all";
    return absl::StrCat("use one of the registered kinds: ", absl::StrJoin(kinds, ", "));
  }

  // The schema of a referenced system; nullptr when the reference or the
  // kind is unknown (the config loader reports those).
  const SystemSchema* SchemaOf(const std::string& system) {
    const int index = IndexByName(config_.systems(), system);
    return index < 0 ? nullptr : FindSystemSchema(config_.systems(index).kind());
  }

  void CheckIntegration(int index) {
    const IntegrationConfig& integration = config_.integrations(index);
    const std::string at = absl::StrCat("integrations[", index, "]");
    const SystemSchema* source = SchemaOf(integration.source().system());
    const SystemSchema* target = SchemaOf(integration.target().system());
    const int mapping_index = IndexByName(config_.mappings(), integration.mapping());
    if (source == nullptr || target == nullptr) return;
    CheckCriteria(at + ".criteria.query", integration.criteria().query(), *source);
    if (integration.direction() == ferry::v1::DIRECTION_BOTH) {
      CheckCriteria(at + ".target_criteria.query", integration.target_criteria().query(), *target);
    }
    CheckTargetLookup(at + ".target_lookup.query", integration.target_lookup().query(), *source,
                      *target);
    if (mapping_index < 0 || integration.direction() == ferry::v1::DIRECTION_REVERSE) return;
    const ferry::v1::MappingConfig& mapping = config_.mappings(mapping_index);
    MappingContext context;
    context.source_schema = source;
    context.target_schema = target;
    context.direction = integration.direction();
    context.source_workflow = FirstWorkflow(integration.source(), mapping.source_type());
    context.target_workflow = FirstWorkflow(integration.target(), mapping.target_type());
    for (ConfigProblem& problem :
         ValidateMapping(mapping, context, absl::StrCat("mappings[", mapping_index, "]"))) {
      Add(std::move(problem));
    }
  }

  const StatusGraph* FirstWorkflow(const ferry::v1::Endpoint& endpoint, const std::string& type) {
    for (const std::string& project : endpoint.projects()) {
      if (const StatusGraph* graph = workflows_.Find(endpoint.system(), project, type)) {
        return graph;
      }
    }
    return nullptr;
  }

  // Only systems whose queries Ferry parses are checked: their criteria
  // are API filters with a fixed set of names. Other dialects (JQL) are the
  // end system's to parse.
  static bool FerryParses(const SystemSchema& schema) {
    return schema.query_dialect != nullptr && schema.query_dialect->FerryParsesQueries();
  }

  void CheckCriteria(const std::string& at, const std::string& query, const SystemSchema& schema) {
    if (query.empty() || !FerryParses(schema)) return;
    absl::StatusOr<CriteriaMatcher> parsed = CriteriaMatcher::Parse(query, schema);
    if (parsed.ok()) return;
    std::string filters;
    for (const auto& [param, field] : schema.query_params) {
      absl::StrAppend(&filters, filters.empty() ? "" : ", ", param);
    }
    Add(Problem(at, std::string(parsed.status().message()),
                absl::StrCat("use ", schema.kind, " filters (", filters, ")",
                             schema.criteria_example.empty() ? "" : ", e.g. ",
                             schema.criteria_example)));
  }

  void CheckTargetLookup(const std::string& at, const std::string& query,
                         const SystemSchema& source, const SystemSchema& target) {
    if (query.empty()) return;
    const TextTemplate lookup(query);
    for (const std::string& name : lookup.placeholders()) {
      if (source.FindField(name) == nullptr) {
        Add(Problem(at, absl::StrCat("placeholder @", name, "@ is not a ", source.kind, " field"),
                    absl::StrCat("use one of: ", source.FieldNames())));
      }
    }
    if (!FerryParses(target)) return;
    absl::StatusOr<CriteriaMatcher> parsed = CriteriaMatcher::Parse(query, target);
    if (!parsed.ok()) {
      Add(Problem(at, std::string(parsed.status().message()),
                  absl::StrCat("write the lookup as ", target.kind, " filters",
                               target.lookup_example.empty() ? "" : ", e.g. ",
                               target.lookup_example)));
    }
  }

  const FerryConfig& config_;
  const WorkflowCatalog& workflows_;
  std::vector<ConfigProblem> problems_;
  std::set<std::pair<std::string, std::string>> seen_;
};

}  // namespace

void WorkflowCatalog::Add(std::string system, std::string project, std::string type,
                          StatusGraph graph) {
  graphs_[{std::move(system), std::move(project), std::move(type)}] = std::move(graph);
}

const StatusGraph* WorkflowCatalog::Find(absl::string_view system, absl::string_view project,
                                         absl::string_view type) const {
  const auto it = graphs_.find({std::string(system), std::string(project), std::string(type)});
  return it == graphs_.end() ? nullptr : &it->second;
}

std::vector<ConfigProblem> ValidateConfig(const FerryConfig& config,
                                          const WorkflowCatalog& workflows) {
  return ConfigChecker(config, workflows).Run();
}

}  // namespace ferry::mapping
