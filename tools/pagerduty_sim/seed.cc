#include "tools/pagerduty_sim/seed.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/incident_ops.h"
#include "tools/pagerduty_sim/state_lookup.h"
#include "tools/pagerduty_sim/time_format.h"

namespace ferry::pagerduty_sim {
namespace {

absl::Status SeedError(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("seed ", where, ": ", what));
}

const nlohmann::json& Section(const nlohmann::json& seed, const char* name) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  auto it = seed.find(name);
  return it == seed.end() ? kEmpty : *it;
}

void LoadDirectory(const nlohmann::json& seed, absl::Time now, State& state) {
  if (auto it = seed.find("account"); it != seed.end()) {
    Account& account = state.account;
    account.subdomain = it->value("subdomain", account.subdomain);
    account.time_zone = it->value("time_zone", account.time_zone);
    if (it->contains("abilities")) {
      account.abilities = it->at("abilities").get<std::set<std::string>>();
    }
    account.reject_readonly_fields =
        it->value("reject_readonly_fields", account.reject_readonly_fields);
    account.allow_unacknowledge =
        it->value("allow_unacknowledge", account.allow_unacknowledge);
  }
  for (const auto& j : Section(seed, "users")) {
    User user{j.at("id"), j.at("name"), j.at("email"), j.value("role", "user"),
              j.value("time_zone", "Etc/UTC"), j.value("job_title", ""), {}};
    user.service_roles =
        j.value("service_roles", std::map<std::string, std::string>());
    state.users[user.id] = user;
  }
  for (const auto& j : Section(seed, "teams")) {
    Team team{j.at("id"), j.at("name"), j.value("description", ""),
              j.value("default_role", "manager"), {}};
    for (const auto& m : j.value("members", nlohmann::json::array())) {
      team.members.push_back({m.at("user_id"), m.value("role", team.default_role)});
    }
    state.teams[team.id] = team;
  }
  for (const auto& j : Section(seed, "escalation_policies")) {
    EscalationPolicy policy{j.at("id"), j.at("name"),
                            j.value("levels", std::vector<std::vector<std::string>>())};
    state.escalation_policies[policy.id] = policy;
  }
  for (const auto& j : Section(seed, "services")) {
    Service service{j.at("id"), j.at("name"), j.value("description", ""),
                    j.at("escalation_policy_id"),
                    j.value("team_ids", std::vector<std::string>()), now};
    service.grouping_fields = j.value("grouping_fields", std::vector<std::string>());
    for (const auto& i : j.value("integrations", nlohmann::json::array())) {
      Integration integration;
      integration.id = i.at("id");
      integration.name = i.value("name", "Events API V2");
      integration.integration_key = i.at("integration_key");
      integration.created_at = now;
      service.integrations.push_back(std::move(integration));
    }
    state.services[service.id] = service;
  }
  for (const auto& j : Section(seed, "priorities")) {
    state.priorities.push_back({j.at("id"), j.at("name"), j.value("description", ""),
                                j.value("color", "a8171c")});
  }
  for (const auto& j : Section(seed, "tokens")) {
    Token token{j.at("token"), j.value("account", false), j.value("read_only", false),
                j.value("user_id", "")};
    state.tokens[token.secret] = token;
  }
}

// Every id a directory entry points at must exist.
absl::Status CheckReferences(const State& state) {
  for (const auto& [id, team] : state.teams) {
    for (const TeamMember& m : team.members) {
      if (!FindUser(state, m.user_id)) {
        return SeedError(absl::StrCat("team ", id), absl::StrCat("unknown member ", m.user_id));
      }
    }
  }
  for (const auto& [id, policy] : state.escalation_policies) {
    for (const auto& level : policy.levels) {
      for (const std::string& user_id : level) {
        if (!FindUser(state, user_id)) {
          return SeedError(absl::StrCat("escalation policy ", id),
                           absl::StrCat("unknown user ", user_id));
        }
      }
    }
  }
  for (const auto& [id, service] : state.services) {
    if (!FindEscalationPolicy(state, service.escalation_policy_id)) {
      return SeedError(absl::StrCat("service ", id),
                       absl::StrCat("unknown escalation_policy_id ",
                                    service.escalation_policy_id));
    }
    for (const std::string& team_id : service.team_ids) {
      if (state.teams.count(team_id) == 0) {
        return SeedError(absl::StrCat("service ", id), absl::StrCat("unknown team ", team_id));
      }
    }
  }
  for (const auto& [secret, token] : state.tokens) {
    if (!token.account && !FindUser(state, token.user_id)) {
      return SeedError("token", absl::StrCat("user token for unknown user \"",
                                             token.user_id,
                                             "\" (set user_id, or account: true)"));
    }
  }
  return absl::OkStatus();
}

absl::Status LoadIncidents(const nlohmann::json& seed, absl::Time now, State& state) {
  std::vector<std::pair<absl::Time, const nlohmann::json*>> ordered;
  for (const auto& j : Section(seed, "incidents")) {
    absl::Time created = now;
    if (j.contains("created_at")) {
      auto parsed = ParseIsoTime(j.at("created_at"), absl::UTCTimeZone());
      if (!parsed.ok()) return SeedError("incident created_at", std::string(parsed.status().message()));
      created = *parsed;
    }
    ordered.emplace_back(created, &j);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto allow_all = [](const std::string&) { return absl::OkStatus(); };
  for (const auto& [created, json] : ordered) {
    const nlohmann::json& j = *json;
    const std::string who = j.value("as_user", state.users.empty()
                                                   ? std::string()
                                                   : state.users.begin()->first);
    const User* user = FindUser(state, who) ? FindUser(state, who) : FindUserByEmail(state, who);
    const std::string where = absl::StrCat("incident \"", j.value("title", ""), "\"");
    if (user == nullptr) return SeedError(where, absl::StrCat("unknown as_user \"", who, "\""));
    nlohmann::json body = {{"type", "incident"},
                           {"title", j.value("title", "")},
                           {"service", {{"id", j.value("service_id", "")}}},
                           {"urgency", j.value("urgency", "high")},
                           {"body", {{"type", "incident_body"}, {"details", j.value("details", "")}}}};
    if (j.contains("incident_key")) body["incident_key"] = j.at("incident_key");
    if (j.contains("priority_id")) body["priority"] = {{"id", j.at("priority_id")}};
    const Actor actor{user->id, created};
    auto incident = CreateIncident(state, body, actor, allow_all);
    if (!incident.ok()) return SeedError(where, incident.status().ToString());
    const std::string status = j.value("status", "triggered");
    if (status == "triggered") continue;
    nlohmann::json update = {{"type", "incident"}, {"status", status}};
    if (j.contains("resolution")) update["resolution"] = j.at("resolution");
    auto change = ParseIncidentChange(state, update);
    if (!change.ok()) return SeedError(where, absl::StrCat("bad status \"", status, "\""));
    ApplyIncidentChange(state, **incident, *change, actor);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<State> StateFromSeed(const nlohmann::json& seed, absl::Time now) {
  if (!seed.is_object()) return SeedError("(top level)", "must be a JSON object");
  State state;
  try {
    LoadDirectory(seed, now, state);
  } catch (const nlohmann::json::exception& e) {
    return SeedError("(directory)", absl::StrCat("missing or mistyped field: ", e.what()));
  }
  if (absl::Status ok = CheckReferences(state); !ok.ok()) return ok;
  try {
    if (absl::Status ok = LoadIncidents(seed, now, state); !ok.ok()) return ok;
  } catch (const nlohmann::json::exception& e) {
    return SeedError("incidents", absl::StrCat("mistyped field: ", e.what()));
  }
  return state;
}

}  // namespace ferry::pagerduty_sim
