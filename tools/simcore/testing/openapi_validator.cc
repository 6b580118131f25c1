#include "tools/simcore/testing/openapi_validator.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace ferry::simcore {
namespace {

bool HasType(const nlohmann::json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return true;  // unknown types are not checked
}

// Number of {param} segments in a path template, or -1 if it does not match.
int MatchTemplate(const std::string& templ, const std::string& path) {
  std::vector<std::string> want = absl::StrSplit(templ, '/');
  std::vector<std::string> have = absl::StrSplit(path, '/');
  if (want.size() != have.size()) return -1;
  int params = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (absl::StartsWith(want[i], "{") && absl::EndsWith(want[i], "}")) {
      if (have[i].empty()) return -1;
      ++params;
    } else if (want[i] != have[i]) {
      return -1;
    }
  }
  return params;
}

}  // namespace

OpenApiValidator::OpenApiValidator(nlohmann::json document, OpenApiOptions options)
    : document_(std::move(document)), options_(options) {}

absl::StatusOr<OpenApiValidator> OpenApiValidator::FromFile(const std::string& path,
                                                            OpenApiOptions options) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open the OpenAPI document ", path, "; check the path"));
  }
  nlohmann::json document = nlohmann::json::parse(in, nullptr, false);
  if (document.is_discarded() || !document.contains("paths")) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not an OpenAPI JSON document (no \"paths\")"));
  }
  return OpenApiValidator(std::move(document), options);
}

const nlohmann::json* OpenApiValidator::Resolve(const nlohmann::json& node) const {
  const nlohmann::json* current = &node;
  for (int depth = 0; depth < 32; ++depth) {
    if (!current->is_object() || !current->contains("$ref")) return current;
    const std::string ref = current->at("$ref").get<std::string>();
    if (!absl::StartsWith(ref, "#")) return nullptr;
    try {
      current = &document_.at(nlohmann::json::json_pointer(ref.substr(1)));
    } catch (const nlohmann::json::exception&) {
      return nullptr;
    }
  }
  return nullptr;
}

std::vector<std::string> OpenApiValidator::ValidateResponse(
    const std::string& method, const std::string& path, int status,
    const nlohmann::json& body) const {
  const nlohmann::json& paths = document_.at("paths");
  const nlohmann::json* operation = nullptr;
  int best = -1;
  for (auto it = paths.begin(); it != paths.end(); ++it) {
    const int params = MatchTemplate(it.key(), path);
    if (params < 0 || (operation != nullptr && params >= best)) continue;
    auto op = it->find(absl::AsciiStrToLower(method));
    if (op == it->end()) continue;
    operation = &*op;
    best = params;
  }
  const std::string what = absl::StrCat(method, " ", path, " ", status);
  if (operation == nullptr) return {absl::StrCat(what, ": no such operation in the document")};
  const nlohmann::json& responses = operation->value("responses", nlohmann::json::object());
  auto response = responses.find(std::to_string(status));
  if (response == responses.end()) response = responses.find("default");
  if (response == responses.end()) {
    return {absl::StrCat(what, ": the document lists no such response status")};
  }
  const nlohmann::json* resolved = Resolve(*response);
  const nlohmann::json* schema = nullptr;
  if (resolved != nullptr) {
    try {
      schema = &resolved->at("content").at("application/json").at("schema");
    } catch (const nlohmann::json::exception&) {
      schema = nullptr;
    }
  }
  if (schema == nullptr) {
    if (body.is_null()) return {};
    return {absl::StrCat(what, ": the document gives no JSON schema for a body")};
  }
  return Validate(*schema, body, what + " $");
}

std::vector<std::string> OpenApiValidator::Validate(const nlohmann::json& schema,
                                                    const nlohmann::json& value,
                                                    const std::string& where) const {
  std::vector<std::string> problems;
  Check(schema, value, where, problems);
  return problems;
}

void OpenApiValidator::Check(const nlohmann::json& node, const nlohmann::json& value,
                             const std::string& where,
                             std::vector<std::string>& problems) const {
  const nlohmann::json* schema = Resolve(node);
  if (schema == nullptr) {
    problems.push_back(absl::StrCat(where, ": unresolvable $ref ", node.dump()));
    return;
  }
  if (!schema->is_object()) return;
  if (value.is_null() && schema->value("nullable", false)) return;
  if (auto all = schema->find("allOf"); all != schema->end()) {
    for (const auto& part : *all) Check(part, value, where, problems);
  }
  for (const char* keyword : {"anyOf", "oneOf"}) {
    auto alternatives = schema->find(keyword);
    if (alternatives == schema->end()) continue;
    std::string failures;
    bool matched = false;
    for (const auto& alternative : *alternatives) {
      std::vector<std::string> attempt;
      Check(alternative, value, where, attempt);
      if (attempt.empty()) {
        matched = true;
        break;
      }
      absl::StrAppend(&failures, " [", attempt[0], "]");
    }
    if (!matched) {
      problems.push_back(
          absl::StrCat(where, ": matches none of the ", keyword, " alternatives:", failures));
    }
  }
  if (auto type = schema->find("type"); type != schema->end() && type->is_string()) {
    if (!HasType(value, *type)) {
      problems.push_back(absl::StrCat(where, ": expected ", type->get<std::string>(),
                                      ", got ", value.type_name()));
      return;
    }
  }
  if (auto values = schema->find("enum"); values != schema->end() && values->is_array()) {
    if (std::find(values->begin(), values->end(), value) == values->end()) {
      problems.push_back(absl::StrCat(where, ": ", value.dump(), " is not one of ",
                                      values->dump()));
    }
  }
  if (value.is_object()) {
    if (auto required = schema->find("required"); required != schema->end()) {
      for (const auto& name : *required) {
        if (name.is_string() && !value.contains(name.get<std::string>())) {
          problems.push_back(absl::StrCat(where, ": missing required \"",
                                          name.get<std::string>(), "\""));
        }
      }
    }
    const nlohmann::json required =
        schema->value("required", nlohmann::json::array());
    if (auto properties = schema->find("properties"); properties != schema->end()) {
      for (auto it = properties->begin(); it != properties->end(); ++it) {
        auto field = value.find(it.key());
        const bool optional_null =
            options_.optional_properties_nullable && field != value.end() &&
            field->is_null() &&
            std::find(required.begin(), required.end(), it.key()) == required.end();
        if (field != value.end() && !optional_null) {
          Check(*it, *field, absl::StrCat(where, ".", it.key()), problems);
        }
      }
    }
  }
  if (value.is_array()) {
    if (auto items = schema->find("items"); items != schema->end()) {
      for (size_t i = 0; i < value.size(); ++i) {
        Check(*items, value[i], absl::StrCat(where, "[", i, "]"), problems);
      }
    }
  }
}

}  // namespace ferry::simcore
