#include "connectors/pagerduty/pd_system_check.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "http/json_fields.h"

namespace ferry::pagerduty {
namespace {

// Access levels, weakest first.
enum class Access { kNone, kObserver, kResponder, kManager };

const char* AccessName(Access access) {
  switch (access) {
    case Access::kManager: return "Manager";
    case Access::kResponder: return "Responder";
    case Access::kObserver: return "Observer";
    default: return "no role";
  }
}

// Base roles as the API names them (PagerDuty REST API reference: Get a user,
// `role`).
Access FromBaseRole(const std::string& role) {
  if (role == "owner" || role == "admin" || role == "user") return Access::kManager;
  if (role == "limited_user") return Access::kResponder;
  if (role == "observer" || role == "read_only_user" || role == "read_only_limited_user") {
    return Access::kObserver;
  }
  return Access::kNone;
}

// Base roles whose licence allows no writing, whatever other role is given.
bool ReadOnlyLicence(const std::string& role) {
  return role == "read_only_user" || role == "read_only_limited_user";
}

Access FromTeamRole(const std::string& role) {
  if (role == "manager") return Access::kManager;
  if (role == "responder") return Access::kResponder;
  if (role == "observer") return Access::kObserver;
  return Access::kNone;
}

bool Transient(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsResourceExhausted(status);
}

}  // namespace

absl::StatusOr<ferry::v1::CheckSystemResponse> CheckPagerDuty(
    const PdApi& api, PdIdentity& identity, const std::vector<std::string>& services) {
  ferry::v1::CheckSystemResponse response;
  absl::StatusOr<nlohmann::json> me = identity.Me();
  if (!me.ok()) {
    if (Transient(me.status())) return me.status();
    response.set_ok(false);
    response.add_problems(absl::StrCat(
        std::string(me.status().message()),
        absl::IsUnauthenticated(me.status())
            ? "; check the system's url and that its token is a valid, active API key"
            : ""));
    return response;
  }
  const http::JsonReader user(*me, "PagerDuty integration user");
  const std::string user_id = user.StringOr("id");
  response.mutable_user()->set_id(user_id);
  response.mutable_user()->set_name(user.StringOr("name"));
  response.mutable_user()->set_email(user.StringOr("email"));
  const std::string role = user.StringOr("role");
  response.set_role(role);
  const Access base = FromBaseRole(role);
  bool ok = true;
  for (const std::string& service_id : services) {
    auto service = api.Get(absl::StrCat("/services/", service_id));
    if (!service.ok()) {
      if (Transient(service.status())) return service.status();
      ok = false;
      response.add_capabilities(absl::StrCat("read service ", service_id, ": no"));
      response.add_problems(absl::StrCat(
          "service ", service_id, " cannot be read (", service.status().message(),
          "); check the service id, or give the integration user the Observer "
          "role on it or its team"));
      continue;
    }
    const std::string where = absl::StrCat("PagerDuty GET /services/", service_id);
    absl::StatusOr<http::JsonReader> service_json =
        http::JsonReader(*service, where).RequireObject("service");
    if (!service_json.ok()) return service_json.status();
    absl::StatusOr<std::vector<http::JsonReader>> teams = service_json->OptionalArray("teams");
    if (!teams.ok()) return teams.status();
    Access access = base;
    for (const http::JsonReader& team : *teams) {
      absl::StatusOr<std::string> team_id = team.RequireString("id");
      if (!team_id.ok()) return team_id.status();
      const std::string members_path = absl::StrCat("/teams/", *team_id, "/members");
      auto members = api.ListAll(members_path, {}, "members");
      if (!members.ok()) {
        if (Transient(members.status())) return members.status();
        continue;  // Teams need an account ability; the base role still counts.
      }
      for (size_t i = 0; i < members->size(); ++i) {
        const http::JsonReader member((*members)[i], absl::StrCat("PagerDuty GET ", members_path),
                                      absl::StrCat("members[", i, "]"));
        absl::StatusOr<http::JsonReader> member_user = member.RequireObject("user");
        if (!member_user.ok()) return member_user.status();
        if (member_user->StringOr("id") == user_id) {
          access = std::max(access, FromTeamRole(member.StringOr("role")));
        }
      }
    }
    const bool can_read = access >= Access::kObserver;
    const bool can_write = access >= Access::kResponder;
    response.add_capabilities(absl::StrCat(
        "read service ", service_id, ": ",
        can_read ? "ok" : absl::StrCat("needs Observer (has ", AccessName(access), ")")));
    // A Responder role on the service itself is listed by no API: below
    // Responder from the roles we can see, only a write can tell.
    const bool unseen = !can_write && can_read && !ReadOnlyLicence(role);
    response.add_capabilities(absl::StrCat(
        "write service ", service_id, ": ",
        can_write ? "ok"
        : unseen  ? absl::StrCat("cannot be seen, the first write will tell (has ",
                                 AccessName(access), " from base and team roles)")
                  : absl::StrCat("needs Responder (has ", AccessName(access), ")")));
    if (unseen) {
      response.add_warnings(absl::StrCat(
          "the integration user ", user.StringOr("email", user_id), " has ", AccessName(access),
          " on service ", service_id,
          " from its base and team roles; a Responder role on the service itself is not "
          "shown by any API, so the first write will tell (a refused write names the fix: "
          "the Responder role on the service, a team that owns it, or the account)"));
    } else if (!can_write) {
      ok = false;
      response.add_problems(absl::StrCat(
          "the integration user ", user.StringOr("email", user_id), " has ", AccessName(access),
          " on service ", service_id,
          "; give it the Responder role (base role limited_user, or responder on a "
          "team that owns the service) to write incidents, notes and status updates"));
    }
  }
  response.set_ok(ok);
  return response;
}

}  // namespace ferry::pagerduty
