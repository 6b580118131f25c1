// Lookup endpoints (PagerDuty REST API reference: Priorities, Services,
// Teams, Users, Abilities): priorities, services, teams, team
// members, users, users/me and abilities.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/pagerduty_sim/handlers.h"
#include "tools/pagerduty_sim/pd_error.h"
#include "tools/pagerduty_sim/query.h"
#include "tools/pagerduty_sim/state_lookup.h"

namespace ferry::pagerduty_sim {
namespace {

// Abilities the simulator knows; others are 404 on GET /abilities/{id}.
const std::set<std::string>& KnownAbilities() {
  static const std::set<std::string> kKnown = {
      "advanced_permissions", "priorities", "status_updates", "teams", "urgencies"};
  return kKnown;
}

bool QueryMatches(const httplib::Request& req, const std::vector<std::string>& fields) {
  if (!req.has_param("query")) return true;
  const std::string query = absl::AsciiStrToLower(req.get_param_value("query"));
  return std::any_of(fields.begin(), fields.end(), [&](const std::string& f) {
    return absl::StrContains(absl::AsciiStrToLower(f), query);
  });
}

// Renders a paged list of `ids` with `render`.
absl::Status WritePaged(Call& call, const std::string& key,
                        const std::vector<std::string>& ids,
                        const std::function<nlohmann::json(const std::string&)>& render) {
  auto page = ParsePage(call.req);
  if (!page.ok()) return page.status();
  WritePdJson(call.res, 200,
              PagedJson(key, *page, ids.size(), [&](size_t i) { return render(ids[i]); })
                  .dump());
  return absl::OkStatus();
}

absl::Status ListPriorities(Call& call) {
  if (auto ok = RequireAbility(call.state, "priorities"); !ok.ok()) return ok;
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  std::vector<std::string> ids;
  for (const Priority& p : call.state.priorities) ids.push_back(p.id);
  return WritePaged(call, "priorities", ids, [&](const std::string& id) {
    return PriorityJson(*ctx, id);
  });
}

bool ServiceVisible(const Call& call, const Service& service) {
  return CanRead(call.state, call.who, service.id);
}

absl::Status ListServices(Call& call) {
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  const std::string sort = call.req.has_param("sort_by") ? call.req.get_param_value("sort_by")
                                                         : "name";
  if (sort != "name" && sort != "name:asc" && sort != "name:desc") {
    return InvalidInput("sort_by must be name, name:asc or name:desc");
  }
  const auto team_ids = ArrayParam(call.req, "team_ids[]");
  std::vector<const Service*> found;
  for (const auto& [id, service] : call.state.services) {
    if (!ServiceVisible(call, service) || !QueryMatches(call.req, {service.name})) continue;
    if (call.req.has_param("name") && service.name != call.req.get_param_value("name")) {
      continue;
    }
    if (!team_ids.empty() &&
        std::none_of(service.team_ids.begin(), service.team_ids.end(), [&](const std::string& t) {
          return std::find(team_ids.begin(), team_ids.end(), t) != team_ids.end();
        })) {
      continue;
    }
    found.push_back(&service);
  }
  std::stable_sort(found.begin(), found.end(), [&](const Service* a, const Service* b) {
    return sort == "name:desc" ? a->name > b->name : a->name < b->name;
  });
  std::vector<std::string> ids;
  for (const Service* s : found) ids.push_back(s->id);
  return WritePaged(call, "services", ids, [&](const std::string& id) {
    return ServiceJson(*ctx, id, true);
  });
}

absl::Status GetService(Call& call) {
  const Service* service = FindService(call.state, call.req.matches[1]);
  if (service == nullptr) {
    return NotFound(absl::StrCat("Service \"", std::string(call.req.matches[1]), "\" not found"));
  }
  if (!ServiceVisible(call, *service)) return AccessDenied("No access to this service");
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  WritePdJson(call.res, 200,
              nlohmann::json{{"service", ServiceJson(*ctx, service->id, true)}}.dump());
  return absl::OkStatus();
}

absl::Status ListTeams(Call& call) {
  if (auto ok = RequireAbility(call.state, "teams"); !ok.ok()) return ok;
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  std::vector<const Team*> teams;
  for (const auto& [id, team] : call.state.teams) {
    if (QueryMatches(call.req, {team.name})) teams.push_back(&team);
  }
  std::stable_sort(teams.begin(), teams.end(),
                   [](const Team* a, const Team* b) { return a->name < b->name; });
  std::vector<std::string> ids;
  for (const Team* t : teams) ids.push_back(t->id);
  return WritePaged(call, "teams", ids,
                    [&](const std::string& id) { return TeamJson(*ctx, id, true); });
}

absl::StatusOr<const Team*> TeamOf(Call& call) {
  if (auto ok = RequireAbility(call.state, "teams"); !ok.ok()) return ok;
  auto it = call.state.teams.find(call.req.matches[1]);
  if (it == call.state.teams.end()) {
    return NotFound(absl::StrCat("Team \"", std::string(call.req.matches[1]), "\" not found"));
  }
  return &it->second;
}

absl::Status GetTeam(Call& call) {
  auto team = TeamOf(call);
  if (!team.ok()) return team.status();
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  WritePdJson(call.res, 200,
              nlohmann::json{{"team", TeamJson(*ctx, (*team)->id, true)}}.dump());
  return absl::OkStatus();
}

absl::Status ListTeamMembers(Call& call) {
  auto team = TeamOf(call);
  if (!team.ok()) return team.status();
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  auto page = ParsePage(call.req);
  if (!page.ok()) return page.status();
  const auto& members = (*team)->members;
  nlohmann::json body = PagedJson("members", *page, members.size(), [&](size_t i) {
    return nlohmann::json{{"user", UserJson(*ctx, members[i].user_id, ctx->Includes("users"))},
                          {"role", members[i].role}};
  });
  WritePdJson(call.res, 200, body.dump());
  return absl::OkStatus();
}

absl::Status ListUsers(Call& call) {
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  std::vector<const User*> users;
  for (const auto& [id, user] : call.state.users) {
    if (QueryMatches(call.req, {user.name, user.email})) users.push_back(&user);
  }
  std::stable_sort(users.begin(), users.end(),
                   [](const User* a, const User* b) { return a->name < b->name; });
  std::vector<std::string> ids;
  for (const User* u : users) ids.push_back(u->id);
  return WritePaged(call, "users", ids,
                    [&](const std::string& id) { return UserJson(*ctx, id, true); });
}

absl::Status GetUser(Call& call) {
  const std::string id = call.req.matches[1];
  if (FindUser(call.state, id) == nullptr) {
    return NotFound(absl::StrCat("User \"", id, "\" not found"));
  }
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  WritePdJson(call.res, 200, nlohmann::json{{"user", UserJson(*ctx, id, true)}}.dump());
  return absl::OkStatus();
}

absl::Status GetMe(Call& call) {
  if (call.who.account) {
    return PdError(400, kCodeInvalidInput, "Invalid Input Provided",
                   {"Because this request was made using an account-level access "
                    "token, we were unable to determine the user's identity. Please "
                    "use a user-level token."});
  }
  auto ctx = RenderFor(call);
  if (!ctx.ok()) return ctx.status();
  WritePdJson(call.res, 200,
              nlohmann::json{{"user", UserJson(*ctx, call.who.user_id, true)}}.dump());
  return absl::OkStatus();
}

absl::Status ListAbilities(Call& call) {
  nlohmann::json abilities(call.state.account.abilities);
  WritePdJson(call.res, 200, nlohmann::json{{"abilities", abilities}}.dump());
  return absl::OkStatus();
}

absl::Status GetAbility(Call& call) {
  const std::string ability = call.req.matches[1];
  if (call.state.account.abilities.count(ability) > 0) {
    call.res.status = 204;
    return absl::OkStatus();
  }
  if (KnownAbilities().count(ability) == 0) {
    return NotFound(absl::StrCat("Ability \"", ability, "\" not found"));
  }
  return RequireAbility(call.state, ability);
}

}  // namespace

void RegisterDirectoryRoutes(Router& router) {
  router.Add("GET", "/priorities", RouteKind::kRead, ListPriorities);
  router.Add("GET", "/services", RouteKind::kRead, ListServices);
  router.Add("GET", R"(/services/([^/]+))", RouteKind::kRead, GetService);
  router.Add("GET", "/teams", RouteKind::kRead, ListTeams);
  router.Add("GET", R"(/teams/([^/]+))", RouteKind::kRead, GetTeam);
  router.Add("GET", R"(/teams/([^/]+)/members)", RouteKind::kRead, ListTeamMembers);
  router.Add("GET", "/users", RouteKind::kRead, ListUsers);
  router.Add("GET", "/users/me", RouteKind::kRead, GetMe);
  router.Add("GET", R"(/users/([^/]+))", RouteKind::kRead, GetUser);
  router.Add("GET", "/abilities", RouteKind::kRead, ListAbilities);
  router.Add("GET", R"(/abilities/([^/]+))", RouteKind::kRead, GetAbility);
}

}  // namespace ferry::pagerduty_sim
