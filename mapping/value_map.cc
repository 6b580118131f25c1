#include "mapping/value_map.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ferry::mapping {

using ferry::v1::ValueMap;

bool IsIdentity(const ValueMap& map) {
  return map.values().empty() && map.default_value().empty() && map.reverse_values().empty();
}

absl::StatusOr<std::string> MapForward(const ValueMap& map, absl::string_view name,
                                       absl::string_view field) {
  const auto it = map.values().find(std::string(name));
  if (it != map.values().end()) return it->second;
  if (!map.default_value().empty()) return map.default_value();
  if (IsIdentity(map)) return std::string(name);
  return absl::NotFoundError(absl::StrCat("field ", field, ": value \"", name,
                                          "\" has no value_map entry and the map has no "
                                          "default_value; add one of them"));
}

ValueMap ReverseOf(const ValueMap& map) {
  // Ordered, so the derived map is the same whatever the proto map's order.
  std::map<std::string, std::vector<std::string>> sources;
  for (const auto& [source, target] : map.values()) sources[target].push_back(source);
  ValueMap reverse;
  for (const auto& [target, from] : sources) {
    if (from.size() == 1) (*reverse.mutable_values())[target] = from.front();
  }
  for (const auto& [target, source] : map.reverse_values()) {
    (*reverse.mutable_values())[target] = source;
  }
  reverse.set_default_value(map.reverse_default_value());
  // The reverse of the reverse is the original forward map.
  *reverse.mutable_reverse_values() = map.values();
  reverse.set_reverse_default_value(map.default_value());
  return reverse;
}

std::vector<std::string> AmbiguousReverseValues(const ValueMap& map) {
  std::map<std::string, int> counts;
  for (const auto& [source, target] : map.values()) ++counts[target];
  std::vector<std::string> ambiguous;
  for (const auto& [target, count] : counts) {
    if (count > 1 && map.reverse_values().count(target) == 0) ambiguous.push_back(target);
  }
  return ambiguous;
}

std::vector<std::string> SourcesOf(const ValueMap& map, absl::string_view target_value) {
  std::vector<std::string> sources;
  for (const auto& [source, target] : map.values()) {
    if (target == target_value) sources.push_back(source);
  }
  std::sort(sources.begin(), sources.end());
  return sources;
}

}  // namespace ferry::mapping
