#include "connectors/jira/transition_screen.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "connectors/jira/jira_wiki.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// A screen field from expand=transitions.fields ({required, name, schema,
// allowedValues}); `id` is its key in the "fields" object.
absl::StatusOr<ScreenField> ParseScreenField(const std::string& id,
                                             const http::JsonReader& field) {
  ScreenField out;
  out.id = id;
  out.name = field.StringOr("name", id);
  auto required = field.OptionalBool("required", false);
  if (!required.ok()) return required.status();
  out.required = *required;
  const json& schema = http::MemberOrNull(field.json(), "schema");
  out.type = http::StringOr(schema, "type");
  out.custom_type = http::StringOr(schema, "custom");
  auto allowed = field.OptionalArray("allowedValues");
  if (!allowed.ok()) return allowed.status();
  for (const http::JsonReader& value : *allowed) {
    std::string name = value.StringOr("name", value.StringOr("value"));
    if (!name.empty()) out.allowed.push_back(std::move(name));
  }
  return out;
}

// `wanted` as spelled in `allowed` (case-insensitive), or empty.
std::string Allowed(const ScreenField& field, const std::string& wanted) {
  for (const std::string& value : field.allowed) {
    if (absl::AsciiStrToLower(value) == absl::AsciiStrToLower(wanted)) return value;
  }
  return "";
}

std::string Describe(const WorkflowTransition& transition, const ScreenField& field) {
  return absl::StrCat("jira transition '", transition.name, "' to '",
                      transition.to_status, "' needs field '", field.name, "' (",
                      field.id, ")");
}

std::string Fix(const ScreenValues& values, const ScreenField& field,
                const std::string& example) {
  return absl::StrCat("Fix: set it under the options of system '", values.system,
                      "': transition_fields: {", field.id, ": \"", example, "\"}");
}

// The JSON Jira takes for `text` in `field`, by its schema.
absl::StatusOr<json> Typed(const WorkflowTransition& transition,
                           const ScreenField& field, const std::string& text,
                           const ScreenValues& values) {
  if (field.type == "number") {
    double number = 0;
    if (!absl::SimpleAtod(text, &number)) {
      return absl::FailedPreconditionError(absl::StrCat(
          Describe(transition, field), " as a number, but transition_fields gives '",
          text, "'. ", Fix(values, field, "0")));
    }
    return json(number);
  }
  if (field.type == "option") return json{{"value", text}};
  if (values.cloud && absl::EndsWith(field.custom_type, ":textarea")) {
    return TextToAdf(text);
  }
  return json(text);
}

}  // namespace

absl::StatusOr<std::vector<WorkflowTransition>> ParseTransitions(
    const http::JsonReader& owner) {
  auto list = owner.OptionalArray("transitions");
  if (!list.ok()) return list.status();
  std::vector<WorkflowTransition> out;
  for (const http::JsonReader& t : *list) {
    auto id = t.RequireString("id");
    if (!id.ok()) return id.status();
    WorkflowTransition transition;
    transition.id = *std::move(id);
    transition.name = t.StringOr("name");
    transition.to_status = http::StringOr(http::MemberOrNull(t.json(), "to"), "name");
    auto has_screen = t.OptionalBool("hasScreen", false);
    if (!has_screen.ok()) return has_screen.status();
    transition.has_screen = *has_screen;
    auto fields = t.OptionalObject("fields");
    if (!fields.ok()) return fields.status();
    if (fields->has_value()) {
      for (const auto& [field_id, unused] : (*fields)->json().items()) {
        auto field = (*fields)->RequireObject(field_id);
        if (!field.ok()) return field.status();
        auto screen = ParseScreenField(field_id, *field);
        if (!screen.ok()) return screen.status();
        transition.fields.push_back(*std::move(screen));
      }
    }
    out.push_back(std::move(transition));
  }
  return out;
}

absl::StatusOr<json> ScreenFields(const WorkflowTransition& transition,
                                  const ScreenValues& values) {
  json out = json::object();
  for (const ScreenField& field : transition.fields) {
    std::string value;
    if (values.configured != nullptr) {
      if (auto it = values.configured->find(field.id); it != values.configured->end()) {
        value = it->second;
      }
    }
    if (field.id == "resolution") {
      if (!values.resolution.empty()) value = values.resolution;
      if (value.empty()) value = kDefaultResolution;
      const std::string allowed = field.allowed.empty() ? value : Allowed(field, value);
      if (allowed.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            Describe(transition, field), " and the site has no resolution '", value,
            "' (it offers: ", absl::StrJoin(field.allowed, ", "), "). ",
            Fix(values, field, field.allowed.empty() ? "Done" : field.allowed[0]),
            ", or map the resolution"));
      }
      out[field.id] = {{"name", allowed}};
      continue;
    }
    if (value.empty()) {
      if (!field.required) continue;
      return absl::FailedPreconditionError(absl::StrCat(
          Describe(transition, field), ", which is required and Ferry has no value for. ",
          Fix(values, field, field.allowed.empty() ? "<value>" : field.allowed[0])));
    }
    if (!field.allowed.empty()) {
      const std::string allowed = Allowed(field, value);
      if (allowed.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            Describe(transition, field), " and does not allow '", value,
            "' (it offers: ", absl::StrJoin(field.allowed, ", "), "). ",
            Fix(values, field, field.allowed[0])));
      }
      value = allowed;
    }
    auto typed = Typed(transition, field, value, values);
    if (!typed.ok()) return typed.status();
    out[field.id] = *std::move(typed);
  }
  return out;
}

}  // namespace ferry::jira
