#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"

namespace ferry::http {

// Typed, non-throwing reads of JSON that came from the network.
//
// nlohmann::json throws on a wrong-typed read (`at`, `get<T>`, `value`,
// implicit conversions, `operator[]` on a non-object), and an uncaught throw
// aborts the process: a server that answers 200 with `"more": "yes"` would
// keep ferryd in a crash loop. Every body an end system sends is read
// through this layer instead, which turns a missing or wrong-typed field
// into a Status that names the request, the field's path and what was
// found:
//
//   GET /log_entries: field 'log_entries[3].incident' is a string, expected an object
//
// The code is UNAVAILABLE: like a cut body, a malformed answer is retried
// (readers) or parked as a failure (writers), never fatal.
//
// Absent and null count as the same (end systems send either); only the
// Optional* reads accept them.

// Parses `body` with exceptions off. UNAVAILABLE naming `where` when it is
// not JSON.
absl::StatusOr<nlohmann::json> ParseJson(absl::string_view body, absl::string_view where);

// A read-only view of one JSON value inside a response body, knowing where
// it came from. Cheap to copy; it refers to the json it was made from,
// which must outlive it.
class JsonReader {
 public:
  // `where` names the request ("GET /log_entries"); `path` where `json`
  // sits in its body ("log_entries[3]"), empty for the body itself.
  JsonReader(const nlohmann::json& json, std::string where, std::string path = "");

  // Fields of an object. Each fails when this value is not an object, or
  // the field has another type; the Require* reads also when it is absent.
  absl::StatusOr<std::string> RequireString(absl::string_view field) const;
  absl::StatusOr<std::optional<std::string>> OptionalString(absl::string_view field) const;
  absl::StatusOr<bool> OptionalBool(absl::string_view field, bool if_absent) const;
  absl::StatusOr<std::optional<int64_t>> OptionalInt(absl::string_view field) const;
  absl::StatusOr<JsonReader> RequireObject(absl::string_view field) const;
  absl::StatusOr<std::optional<JsonReader>> OptionalObject(absl::string_view field) const;
  // The elements of an array field, each knowing its path ("issues[2]").
  absl::StatusOr<std::vector<JsonReader>> RequireArray(absl::string_view field) const;
  // An absent array reads as empty.
  absl::StatusOr<std::vector<JsonReader>> OptionalArray(absl::string_view field) const;

  // The field when it is a string, else `fallback` (see StringOr below).
  std::string StringOr(absl::string_view field, absl::string_view fallback = "") const;

  bool is_object() const { return json_->is_object(); }
  const nlohmann::json& json() const { return *json_; }
  // "where: path" for messages of the caller's own.
  std::string Describe() const;

 private:
  // The field, nullptr when absent or null; an error when this value is
  // not an object.
  absl::StatusOr<const nlohmann::json*> Find(absl::string_view field) const;
  absl::Status WrongType(absl::string_view field, const nlohmann::json& found,
                         absl::string_view expected) const;
  std::vector<JsonReader> Elements(absl::string_view field, const nlohmann::json& array) const;
  std::string PathTo(absl::string_view field) const;

  const nlohmann::json* json_;
  std::string where_;
  std::string path_;
};

// Lenient reads, for values that only decorate (a display name, a URL, rich
// text being rendered) or were checked by a JsonReader where the body
// arrived: whatever shape `object` has, they never throw and never stop a
// sync.

// object[key] when `object` is an object that has it, else null.
const nlohmann::json& MemberOrNull(const nlohmann::json& object, absl::string_view key);
// object[key] when it is a string, else `fallback`.
std::string StringOr(const nlohmann::json& object, absl::string_view key,
                     absl::string_view fallback = "");
// object[key] when it is a whole number that fits, else `fallback`.
int64_t IntOr(const nlohmann::json& object, absl::string_view key, int64_t fallback);

}  // namespace ferry::http
