#include "http/json_fields.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ferry::http {
namespace {

// "a string", "an object", ... as a message reads it.
std::string KindOf(const nlohmann::json& json) {
  switch (json.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_float:
      return "a fractional number";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "a number";
    default:
      return "binary data";
  }
}

// `json` as an int64_t when it is a whole number that fits. (nlohmann's
// is_number_integer() is also true for unsigned numbers, whose get_ref as
// int64_t would throw.)
std::optional<int64_t> AsInt64(const nlohmann::json& json) {
  if (json.is_number_unsigned()) {
    const uint64_t value = json.get_ref<const uint64_t&>();
    if (value > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(value);
  }
  if (json.is_number_integer()) return json.get_ref<const int64_t&>();
  return std::nullopt;
}

}  // namespace

absl::StatusOr<nlohmann::json> ParseJson(absl::string_view body, absl::string_view where) {
  nlohmann::json json = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (json.is_discarded()) {
    // A cut or garbled body: the exchange may be retried like a 5xx.
    return absl::UnavailableError(absl::StrCat(
        where, ": the response body is not JSON (", body.size(), " bytes); retry later"));
  }
  return json;
}

JsonReader::JsonReader(const nlohmann::json& json, std::string where, std::string path)
    : json_(&json), where_(std::move(where)), path_(std::move(path)) {}

std::string JsonReader::Describe() const {
  return path_.empty() ? where_ : absl::StrCat(where_, ": ", path_);
}

std::string JsonReader::PathTo(absl::string_view field) const {
  return path_.empty() ? std::string(field) : absl::StrCat(path_, ".", field);
}

absl::Status JsonReader::WrongType(absl::string_view field, const nlohmann::json& found,
                                   absl::string_view expected) const {
  return absl::UnavailableError(absl::StrCat(where_, ": field '", PathTo(field), "' is ",
                                             KindOf(found), ", expected ", expected));
}

absl::StatusOr<const nlohmann::json*> JsonReader::Find(absl::string_view field) const {
  if (!json_->is_object()) {
    return absl::UnavailableError(
        absl::StrCat(where_, ": ", path_.empty() ? "the body" : absl::StrCat("'", path_, "'"),
                     " is ", KindOf(*json_), ", expected an object with '", field, "'"));
  }
  const auto it = json_->find(field);
  if (it == json_->end() || it->is_null()) return nullptr;
  return &*it;
}

absl::StatusOr<std::string> JsonReader::RequireString(absl::string_view field) const {
  absl::StatusOr<std::optional<std::string>> text = OptionalString(field);
  if (!text.ok()) return text.status();
  if (!text->has_value()) {
    return absl::UnavailableError(
        absl::StrCat(where_, ": field '", PathTo(field), "' is missing, expected a string"));
  }
  return **std::move(text);
}

absl::StatusOr<std::optional<std::string>> JsonReader::OptionalString(
    absl::string_view field) const {
  absl::StatusOr<const nlohmann::json*> found = Find(field);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return std::nullopt;
  if (!(*found)->is_string()) return WrongType(field, **found, "a string");
  return (*found)->get_ref<const std::string&>();
}

absl::StatusOr<bool> JsonReader::OptionalBool(absl::string_view field, bool if_absent) const {
  absl::StatusOr<const nlohmann::json*> found = Find(field);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return if_absent;
  if (!(*found)->is_boolean()) return WrongType(field, **found, "a boolean");
  return (*found)->get_ref<const bool&>();
}

absl::StatusOr<std::optional<int64_t>> JsonReader::OptionalInt(absl::string_view field) const {
  absl::StatusOr<const nlohmann::json*> found = Find(field);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return std::nullopt;
  if (std::optional<int64_t> value = AsInt64(**found)) return value;
  return WrongType(field, **found, "a 64-bit whole number");
}

absl::StatusOr<JsonReader> JsonReader::RequireObject(absl::string_view field) const {
  absl::StatusOr<std::optional<JsonReader>> object = OptionalObject(field);
  if (!object.ok()) return object.status();
  if (!object->has_value()) {
    return absl::UnavailableError(
        absl::StrCat(where_, ": field '", PathTo(field), "' is missing, expected an object"));
  }
  return **std::move(object);
}

absl::StatusOr<std::optional<JsonReader>> JsonReader::OptionalObject(
    absl::string_view field) const {
  absl::StatusOr<const nlohmann::json*> found = Find(field);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return std::nullopt;
  if (!(*found)->is_object()) return WrongType(field, **found, "an object");
  return JsonReader(**found, where_, PathTo(field));
}

absl::StatusOr<std::vector<JsonReader>> JsonReader::RequireArray(absl::string_view field) const {
  absl::StatusOr<const nlohmann::json*> found = Find(field);
  if (!found.ok()) return found.status();
  if (*found == nullptr) {
    return absl::UnavailableError(
        absl::StrCat(where_, ": field '", PathTo(field), "' is missing, expected an array"));
  }
  if (!(*found)->is_array()) return WrongType(field, **found, "an array");
  return Elements(field, **found);
}

absl::StatusOr<std::vector<JsonReader>> JsonReader::OptionalArray(
    absl::string_view field) const {
  absl::StatusOr<const nlohmann::json*> found = Find(field);
  if (!found.ok()) return found.status();
  if (*found == nullptr) return std::vector<JsonReader>{};
  if (!(*found)->is_array()) return WrongType(field, **found, "an array");
  return Elements(field, **found);
}

std::vector<JsonReader> JsonReader::Elements(absl::string_view field,
                                             const nlohmann::json& array) const {
  std::vector<JsonReader> elements;
  elements.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    elements.push_back(JsonReader(array[i], where_, absl::StrCat(PathTo(field), "[", i, "]")));
  }
  return elements;
}

std::string JsonReader::StringOr(absl::string_view field, absl::string_view fallback) const {
  return http::StringOr(*json_, field, fallback);
}

const nlohmann::json& MemberOrNull(const nlohmann::json& object, absl::string_view key) {
  static const nlohmann::json* const kNull = new nlohmann::json();
  if (!object.is_object()) return *kNull;
  const auto it = object.find(key);
  return it == object.end() ? *kNull : *it;
}

std::string StringOr(const nlohmann::json& object, absl::string_view key,
                     absl::string_view fallback) {
  const nlohmann::json& member = MemberOrNull(object, key);
  return member.is_string() ? member.get_ref<const std::string&>() : std::string(fallback);
}

int64_t IntOr(const nlohmann::json& object, absl::string_view key, int64_t fallback) {
  return AsInt64(MemberOrNull(object, key)).value_or(fallback);
}

}  // namespace ferry::http
