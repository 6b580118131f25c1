#include "tools/servicenow_sim/rate_rules.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace ferry::servicenow_sim {
namespace {

const char* KindName(RateRule::Kind kind) {
  switch (kind) {
    case RateRule::Kind::kUser: return "user";
    case RateRule::Kind::kRole: return "role";
    case RateRule::Kind::kAllUsers: return "all";
  }
  return "all";
}

}  // namespace

RateVerdict RateRules::Count(const Caller& caller) {
  absl::MutexLock lock(&mu_);
  const RateRule* chosen = nullptr;
  for (const RateRule& rule : rules_) {
    if (rule.kind == RateRule::Kind::kUser && rule.subject == caller.user_name) {
      chosen = &rule;
      break;
    }
  }
  for (const RateRule& rule : rules_) {
    if (chosen != nullptr && chosen->kind == RateRule::Kind::kUser) break;
    if (rule.kind == RateRule::Kind::kRole &&
        caller.roles.contains(rule.subject) &&
        (chosen == nullptr || rule.limit < chosen->limit)) {
      chosen = &rule;
    }
  }
  if (chosen == nullptr) {
    for (const RateRule& rule : rules_) {
      if (rule.kind == RateRule::Kind::kAllUsers) chosen = &rule;
    }
  }
  RateVerdict verdict;
  if (chosen == nullptr) return verdict;
  const int64_t now = absl::ToUnixSeconds(clock_->Now());
  const int64_t hour = now - now % 3600;
  int& count = counts_[absl::StrCat(chosen->sys_id, "\n", caller.user_name,
                                    "\n", hour)];
  ++count;
  verdict.matched = true;
  verdict.limit = chosen->limit;
  verdict.reset_unix = hour + 3600;
  verdict.rule_sys_id = chosen->sys_id;
  verdict.allowed = count <= chosen->limit;
  verdict.retry_after = static_cast<int>(verdict.reset_unix - now);
  return verdict;
}

absl::Status RateRules::Replace(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("rules") ||
      !body["rules"].is_array()) {
    return absl::InvalidArgumentError(
        "give {\"rules\": [{\"type\": \"user|role|all\", ...}]}");
  }
  std::vector<RateRule> rules;
  int index = 0;
  for (const nlohmann::json& item : body["rules"]) {
    const std::string where = absl::StrCat("rules[", index++, "]");
    if (!item.is_object()) {
      return absl::InvalidArgumentError(where + " must be an object");
    }
    RateRule rule;
    const std::string type = item.value("type", "");
    std::string subject_field;
    if (type == "user") {
      rule.kind = RateRule::Kind::kUser;
      subject_field = "user";
    } else if (type == "role") {
      rule.kind = RateRule::Kind::kRole;
      subject_field = "role";
    } else if (type != "all") {
      return absl::InvalidArgumentError(
          where + ".type must be \"user\", \"role\" or \"all\"");
    }
    if (!subject_field.empty()) {
      if (!item.contains(subject_field) || !item[subject_field].is_string()) {
        return absl::InvalidArgumentError(absl::StrCat(
            where, ".", subject_field, " (a string) is required for type ",
            type));
      }
      rule.subject = item[subject_field].get<std::string>();
    }
    if (!item.contains("limit") || !item["limit"].is_number_integer() ||
        item["limit"].get<int64_t>() < 1) {
      return absl::InvalidArgumentError(
          where + ".limit must be a whole number of requests per hour >= 1");
    }
    rule.limit = item["limit"].get<int>();
    rules.push_back(std::move(rule));
  }
  absl::MutexLock lock(&mu_);
  for (RateRule& rule : rules) {
    rule.sys_id = absl::StrFormat("%032x", next_id_++);
  }
  rules_ = std::move(rules);
  counts_.clear();
  return absl::OkStatus();
}

nlohmann::json RateRules::ToJson() const {
  absl::MutexLock lock(&mu_);
  nlohmann::json rules = nlohmann::json::array();
  for (const RateRule& rule : rules_) {
    nlohmann::json item = {{"sys_id", rule.sys_id},
                           {"type", KindName(rule.kind)},
                           {"limit", rule.limit}};
    if (rule.kind == RateRule::Kind::kUser) item["user"] = rule.subject;
    if (rule.kind == RateRule::Kind::kRole) item["role"] = rule.subject;
    rules.push_back(item);
  }
  return {{"rules", rules}};
}

}  // namespace ferry::servicenow_sim
