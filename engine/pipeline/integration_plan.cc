#include "engine/pipeline/integration_plan.h"

#include "absl/strings/str_cat.h"
#include "mapping/criteria.h"
#include "mapping/system_schema.h"

namespace ferry::engine {
namespace {

template <typename Message>
const Message* FindByName(
    const google::protobuf::RepeatedPtrField<Message>& items,
    absl::string_view name) {
  for (const auto& item : items) {
    if (item.name() == name) return &item;
  }
  return nullptr;
}

absl::StatusOr<const mapping::SystemSchema*> SchemaOf(
    const ferry::v1::SystemConfig& system) {
  const mapping::SystemSchema* schema =
      mapping::FindSystemSchema(system.kind());
  if (schema == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "system '", system.name(), "' is of kind '", system.kind(),
        "', which has no field schema"));
  }
  return schema;
}

// Gives `query` to the mapper when Ferry can evaluate it on the entity, and
// to the reader's API otherwise (see IntegrationPlan::*_reader_criteria).
void AssignCriteria(const std::string& query, const mapping::SystemSchema& schema,
                    std::string* mapper_criteria, std::string* reader_criteria) {
  if (query.empty()) return;
  if (mapping::CriteriaMatcher::Parse(query, schema).ok()) {
    *mapper_criteria = query;
  } else {
    *reader_criteria = query;
  }
}

}  // namespace

const mapping::Mapper* IntegrationPlan::MapperFor(
    absl::string_view system) const {
  if (system == source_system.name()) return forward.get();
  if (system == target_system.name()) return reverse.get();
  return nullptr;
}

const ferry::v1::SystemConfig& IntegrationPlan::OtherSide(
    absl::string_view system) const {
  return system == source_system.name() ? target_system : source_system;
}

absl::StatusOr<std::shared_ptr<const IntegrationPlan>> PlanIntegration(
    const ferry::v1::FerryConfig& config,
    const ferry::v1::IntegrationConfig& integration) {
  auto fail = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("integration '", integration.name(), "': ", why));
  };
  const auto* source = FindByName(config.systems(), integration.source().system());
  const auto* target = FindByName(config.systems(), integration.target().system());
  const auto* mapping_config = FindByName(config.mappings(), integration.mapping());
  if (source == nullptr || target == nullptr) return fail("unknown system");
  if (mapping_config == nullptr) return fail("unknown mapping");
  if (integration.source().projects().empty() ||
      integration.target().projects().empty()) {
    return fail("a side lists no project");
  }
  auto source_schema = SchemaOf(*source);
  if (!source_schema.ok()) return fail(source_schema.status().message());
  auto target_schema = SchemaOf(*target);
  if (!target_schema.ok()) return fail(target_schema.status().message());

  auto plan = std::make_shared<IntegrationPlan>();
  plan->config = integration;
  plan->mapping = *mapping_config;
  plan->source_system = *source;
  plan->target_system = *target;

  mapping::MapperOptions forward;
  forward.flow = mapping::Flow::kForward;
  forward.from_schema = *source_schema;
  forward.to_schema = *target_schema;
  forward.target_system = target->name();
  forward.target_project = integration.target().projects(0);
  forward.target_type = mapping_config->target_type();
  forward.target_lookup = integration.target_lookup().query();
  AssignCriteria(integration.criteria().query(), **source_schema,
                 &forward.criteria, &plan->source_reader_criteria);
  auto forward_mapper = mapping::Mapper::Create(*mapping_config, forward);
  if (!forward_mapper.ok()) return fail(forward_mapper.status().message());
  plan->forward = std::make_unique<const mapping::Mapper>(
      *std::move(forward_mapper));

  if (integration.direction() == ferry::v1::DIRECTION_BOTH) {
    mapping::MapperOptions reverse;
    reverse.flow = mapping::Flow::kReverse;
    reverse.from_schema = *target_schema;
    reverse.to_schema = *source_schema;
    reverse.target_system = source->name();
    // Entities created from the target side go to the first source project.
    reverse.target_project = integration.source().projects(0);
    reverse.target_type = mapping_config->source_type();
    AssignCriteria(integration.target_criteria().query(), **target_schema,
                   &reverse.criteria, &plan->target_reader_criteria);
    auto reverse_mapper = mapping::Mapper::Create(*mapping_config, reverse);
    if (!reverse_mapper.ok()) return fail(reverse_mapper.status().message());
    plan->reverse = std::make_unique<const mapping::Mapper>(
        *std::move(reverse_mapper));
  }
  return std::shared_ptr<const IntegrationPlan>(std::move(plan));
}

}  // namespace ferry::engine
