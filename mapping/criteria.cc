#include "mapping/criteria.h"

#include <map>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "mapping/field_value.h"

namespace ferry::mapping {
namespace {

// Splits on '&' and on the word AND (any case, surrounded by spaces).
std::vector<std::string> SplitTerms(absl::string_view query) {
  std::vector<std::string> terms;
  for (absl::string_view part : absl::StrSplit(query, '&', absl::SkipWhitespace())) {
    const std::string upper = absl::AsciiStrToUpper(part);
    size_t start = 0;
    size_t at;
    while ((at = upper.find(" AND ", start)) != std::string::npos) {
      terms.emplace_back(part.substr(start, at - start));
      start = at + 5;
    }
    terms.emplace_back(part.substr(start));
  }
  return terms;
}

absl::Status CheckSupported(absl::string_view query) {
  const std::string upper = absl::AsciiStrToUpper(query);
  for (absl::string_view token : {" OR ", " IN ", " NOT ", "(", ")", "!=", "~", "<", ">"}) {
    if (absl::StrContains(upper, token)) {
      return absl::UnimplementedError(absl::StrCat(
          "criteria \"", query, "\" uses \"", absl::StripAsciiWhitespace(token),
          "\", which Ferry does not evaluate itself; leave such criteria to the end system's "
          "query, or write terms like field=value joined by & or AND"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CriteriaMatcher> CriteriaMatcher::Parse(absl::string_view query,
                                                       const SystemSchema& schema) {
  CriteriaMatcher matcher;
  if (absl::StripAsciiWhitespace(query).empty()) return matcher;
  if (absl::Status status = CheckSupported(query); !status.ok()) return status;
  // Field of each `name[]` term → its index: repeats add alternatives.
  std::map<std::string, size_t> set_terms;
  for (const std::string& raw : SplitTerms(query)) {
    const size_t eq = raw.find('=');
    if (eq == std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("criteria term \"", raw, "\" is not name=value"));
    }
    absl::string_view name = absl::StripAsciiWhitespace(absl::string_view(raw).substr(0, eq));
    const bool is_set = absl::ConsumeSuffix(&name, "[]");
    std::string value(absl::StripAsciiWhitespace(absl::string_view(raw).substr(eq + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (schema.query_dialect != nullptr) value = schema.query_dialect->DecodeValue(value);
    std::string field(schema.FieldOfQueryParam(name));
    if (field.empty() && schema.FindField(name) != nullptr) field = std::string(name);
    if (field.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "criteria term \"", raw, "\": \"", name, "\" is not a ", schema.kind,
          " field or filter; known fields are ", schema.FieldNames()));
    }
    if (is_set) {
      const auto [it, added] = set_terms.emplace(field, matcher.terms_.size());
      if (!added) {
        matcher.terms_[it->second].values.push_back(std::move(value));
        continue;
      }
    }
    matcher.terms_.push_back({std::move(field), {std::move(value)}});
  }
  return matcher;
}

bool CriteriaMatcher::Matches(const ferry::v1::Entity& entity) const {
  for (const Term& term : terms_) {
    const auto it = entity.fields().find(term.field);
    if (it == entity.fields().end()) return false;
    bool any = false;
    for (const std::string& value : term.values) {
      if (MatchesText(it->second, value)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

CriteriaDecision DecideCriteria(bool matches_now, bool linked, bool stop_when_unmatched) {
  if (matches_now) return CriteriaDecision::kSync;
  if (!linked) return CriteriaDecision::kSkipUnmatched;
  return stop_when_unmatched ? CriteriaDecision::kStopUnmatched : CriteriaDecision::kKeepSynced;
}

absl::string_view Explain(CriteriaDecision decision) {
  switch (decision) {
    case CriteriaDecision::kSync:
      return "matches the criteria";
    case CriteriaDecision::kKeepSynced:
      return "no longer matches the criteria but was synced before (once in sync, always in sync)";
    case CriteriaDecision::kSkipUnmatched:
      return "does not match the criteria and was never synced";
    case CriteriaDecision::kStopUnmatched:
      return "no longer matches the criteria and the integration says stop_when_unmatched";
  }
  return "";
}

}  // namespace ferry::mapping
