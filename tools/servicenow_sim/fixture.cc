#include "tools/servicenow_sim/fixture.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"

namespace ferry::servicenow_sim {
namespace {

using json = nlohmann::json;

constexpr char kDefaultCreatedOn[] = "2026-01-01 00:00:00";

absl::Status Bad(const std::string& where, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("fixture ", where, ": ", what));
}

// Reads fixture fields without exceptions: a wrong type is an error naming
// the entry and the field.
class Entry {
 public:
  Entry(const json& value, std::string where)
      : value_(value), where_(std::move(where)) {}

  const std::string& where() const { return where_; }

  absl::StatusOr<std::string> String(const char* field, bool required) const {
    const json* found = Find(field);
    if (found == nullptr) {
      if (required) return Bad(where_, absl::StrCat("\"", field, "\" is missing"));
      return std::string();
    }
    if (!found->is_string()) {
      return Bad(where_, absl::StrCat("\"", field, "\" must be a string"));
    }
    return found->get_ref<const std::string&>();
  }

  absl::StatusOr<int64_t> Integer(const char* field, int64_t if_absent) const {
    return Scalar<int64_t>(field, if_absent, &json::is_number_integer,
                           "a whole number");
  }

  absl::StatusOr<bool> Bool(const char* field, bool if_absent) const {
    return Scalar<bool>(field, if_absent, &json::is_boolean, "true or false");
  }

  // The array field's elements (absent: none).
  absl::StatusOr<std::vector<const json*>> Array(const char* field) const {
    std::vector<const json*> out;
    const json* found = Find(field);
    if (found == nullptr) return out;
    if (!found->is_array()) {
      return Bad(where_, absl::StrCat("\"", field, "\" must be an array"));
    }
    for (const json& element : *found) out.push_back(&element);
    return out;
  }

 private:
  // The field as a T when `is` says it has that type; `if_absent` when
  // absent; else an error saying it must be `expected`.
  template <typename T>
  absl::StatusOr<T> Scalar(const char* field, T if_absent,
                           bool (json::*is)() const noexcept,
                           const char* expected) const {
    const json* found = Find(field);
    if (found == nullptr) return if_absent;
    if (!(found->*is)()) {
      return Bad(where_, absl::StrCat("\"", field, "\" must be ", expected));
    }
    return found->get<T>();
  }

  const json* Find(const char* field) const {
    if (!value_.is_object()) return nullptr;
    auto it = value_.find(field);
    return it == value_.end() || it->is_null() ? nullptr : &*it;
  }

  const json& value_;
  std::string where_;
};

// Runs `expr` (a StatusOr) and assigns its value, or returns its error.
#define FIXTURE_ASSIGN(lhs, expr)                \
  do {                                           \
    auto result_ = (expr);                       \
    if (!result_.ok()) return result_.status();  \
    lhs = *std::move(result_);                   \
  } while (false)

bool IsSysId(const std::string& id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

class Builder {
 public:
  explicit Builder(std::string created_on) : created_on_(std::move(created_on)) {}

  // Adds `row` to `table` with the system columns; `where` names it for
  // errors.
  absl::Status Add(const std::string& where, const std::string& table,
                   Record row) {
    const std::string& sys_id = row["sys_id"];
    if (!IsSysId(sys_id)) {
      return Bad(where, absl::StrCat("sys_id \"", sys_id,
                                     "\" must be 32 lowercase hex digits"));
    }
    if (!sys_ids_.insert(sys_id).second) {
      return Bad(where, absl::StrCat("sys_id ", sys_id,
                                     " is used twice; give each row its own"));
    }
    row["sys_created_on"] = created_on_;
    row["sys_updated_on"] = created_on_;
    row["sys_created_by"] = "admin";
    row["sys_updated_by"] = "admin";
    row["sys_mod_count"] = "0";
    fixture_.rows.push_back({table, std::move(row)});
    return absl::OkStatus();
  }

  absl::Status AddUser(const Entry& user) {
    Record row;
    for (const char* column : {"sys_id", "user_name"}) {
      FIXTURE_ASSIGN(row[column], user.String(column, /*required=*/true));
    }
    for (const char* column :
         {"name", "first_name", "last_name", "email", "time_zone"}) {
      FIXTURE_ASSIGN(row[column], user.String(column, /*required=*/false));
    }
    FIXTURE_ASSIGN(row["user_password"], user.String("password", true));
    std::vector<const json*> roles;
    FIXTURE_ASSIGN(roles, user.Array("roles"));
    std::vector<std::string> names;
    for (const json* role : roles) {
      if (!role->is_string() || role->get_ref<const std::string&>().empty()) {
        return Bad(user.where(), "\"roles\" must list role names (\"itil\")");
      }
      names.push_back(role->get<std::string>());
    }
    row["roles"] = absl::StrJoin(names, ",");
    row["active"] = "true";
    if (!users_.emplace(row["user_name"], row["sys_id"]).second) {
      return Bad(user.where(), absl::StrCat("user_name \"", row["user_name"],
                                            "\" is used twice"));
    }
    return Add(user.where(), "sys_user", std::move(row));
  }

  absl::Status AddGroup(const Entry& group) {
    Record row;
    FIXTURE_ASSIGN(row["sys_id"], group.String("sys_id", true));
    FIXTURE_ASSIGN(row["name"], group.String("name", true));
    for (const char* column : {"description", "email"}) {
      FIXTURE_ASSIGN(row[column], group.String(column, false));
    }
    std::string manager;
    FIXTURE_ASSIGN(manager, group.String("manager", false));
    FIXTURE_ASSIGN(row["manager"], UserSysId(group.where(), "manager", manager));
    row["active"] = "true";
    return Add(group.where(), "sys_user_group", std::move(row));
  }

  absl::Status AddChoices(const Entry& list) {
    std::string table, element;
    FIXTURE_ASSIGN(table, list.String("table", true));
    FIXTURE_ASSIGN(element, list.String("element", true));
    std::vector<const json*> choices;
    FIXTURE_ASSIGN(choices, list.Array("choices"));
    for (size_t i = 0; i < choices.size(); ++i) {
      const json& pair = *choices[i];
      const std::string where =
          absl::StrCat("choice ", table, ".", element, "[", i, "]");
      if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() ||
          !pair[1].is_string()) {
        return Bad(where, "each choice is [value, label], both strings");
      }
      Record row{{"name", table},
                 {"element", element},
                 {"value", pair[0].get<std::string>()},
                 {"label", pair[1].get<std::string>()},
                 {"sequence", absl::StrCat(i + 1)},
                 {"language", "en"},
                 {"inactive", "false"}};
      // A stable id: "c401ce" + list number + position.
      row["sys_id"] = absl::StrFormat("c401ce%010x%016x", choice_lists_, i);
      if (absl::Status status = Add(where, "sys_choice", std::move(row));
          !status.ok()) {
        return status;
      }
    }
    ++choice_lists_;
    return absl::OkStatus();
  }

  absl::Status AddOAuthClient(const Entry& client) {
    Record row;
    for (const char* column : {"sys_id", "name", "client_id", "client_secret"}) {
      FIXTURE_ASSIGN(row[column], client.String(column, true));
    }
    int64_t access = 0, refresh = 0;
    FIXTURE_ASSIGN(access, client.Integer("access_token_lifespan", 1800));
    FIXTURE_ASSIGN(refresh, client.Integer("refresh_token_lifespan", 8640000));
    if (access <= 0 || refresh <= 0) {
      return Bad(client.where(), "token lifespans are seconds, above 0");
    }
    row["access_token_lifespan"] = absl::StrCat(access);
    row["refresh_token_lifespan"] = absl::StrCat(refresh);
    return Add(client.where(), "oauth_entity", std::move(row));
  }

  absl::Status AddRateLimitRule(const Entry& entry) {
    RateLimitRule rule;
    FIXTURE_ASSIGN(rule.sys_id, entry.String("sys_id", true));
    FIXTURE_ASSIGN(rule.name, entry.String("name", true));
    FIXTURE_ASSIGN(rule.active, entry.Bool("active", false));
    FIXTURE_ASSIGN(rule.type, entry.String("type", true));
    FIXTURE_ASSIGN(rule.user, entry.String("user", false));
    FIXTURE_ASSIGN(rule.role, entry.String("role", false));
    FIXTURE_ASSIGN(rule.requests_per_hour, entry.Integer("limit", 0));
    if (!IsSysId(rule.sys_id) || !sys_ids_.insert(rule.sys_id).second) {
      return Bad(entry.where(), "sys_id must be 32 lowercase hex digits, unused");
    }
    if (rule.requests_per_hour <= 0) {
      return Bad(entry.where(), "\"limit\" is requests per hour, above 0");
    }
    if (rule.type == "user") {
      std::string ignored;
      FIXTURE_ASSIGN(ignored, UserSysId(entry.where(), "user", rule.user));
      if (rule.user.empty()) {
        return Bad(entry.where(), "a \"user\" rule needs \"user\": a user_name");
      }
    } else if (rule.type == "role") {
      if (rule.role.empty()) {
        return Bad(entry.where(), "a \"role\" rule needs \"role\" (\"itil\")");
      }
    } else if (rule.type != "all") {
      return Bad(entry.where(), "\"type\" must be \"user\", \"role\" or \"all\"");
    }
    fixture_.rate_limit_rules.push_back(std::move(rule));
    return absl::OkStatus();
  }

  Fixture Take() { return std::move(fixture_); }

 private:
  // The sys_id of the user named `user_name` ("" for ""); users come first
  // in the file's load order.
  absl::StatusOr<std::string> UserSysId(const std::string& where,
                                        const char* field,
                                        const std::string& user_name) const {
    if (user_name.empty()) return std::string();
    auto it = users_.find(user_name);
    if (it == users_.end()) {
      return Bad(where, absl::StrCat("\"", field, "\" \"", user_name,
                                     "\" is not a user_name under \"users\""));
    }
    return it->second;
  }

  std::string created_on_;
  Fixture fixture_;
  absl::flat_hash_set<std::string> sys_ids_;
  absl::flat_hash_map<std::string, std::string> users_;  // user_name → sys_id
  int choice_lists_ = 0;
};

// How an entry is named in errors: its user_name or name, else its index.
std::string Label(const json& entry, size_t index) {
  for (const char* key : {"user_name", "name"}) {
    auto it = entry.find(key);
    if (it != entry.end() && it->is_string()) return it->get<std::string>();
  }
  return absl::StrCat(index);
}

// Calls `add` for each element of the top-level array `section`.
template <typename Add>
absl::Status Each(const Entry& top, const char* section, const char* what,
                  Add add) {
  std::vector<const json*> elements;
  FIXTURE_ASSIGN(elements, top.Array(section));
  for (size_t i = 0; i < elements.size(); ++i) {
    if (!elements[i]->is_object()) {
      return Bad(absl::StrCat(what, " ", i), "must be an object");
    }
    const Entry entry(*elements[i],
                      absl::StrCat(what, " ", Label(*elements[i], i)));
    if (absl::Status status = add(entry); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Fixture> FixtureFromJsonText(const std::string& text) {
  const json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Bad("document", "is not a JSON object; see fixture.h for the shape");
  }
  const Entry top(document, "document");
  std::string created_on;
  FIXTURE_ASSIGN(created_on, top.String("createdOn", false));
  Builder builder(created_on.empty() ? kDefaultCreatedOn : created_on);
  // In this order: groups and rules name users.
  struct Section {
    const char* key;
    const char* what;
    absl::Status (Builder::*add)(const Entry&);
  };
  for (const Section& section : {
           Section{"users", "user", &Builder::AddUser},
           Section{"groups", "group", &Builder::AddGroup},
           Section{"choices", "choice list", &Builder::AddChoices},
           Section{"oauthClients", "OAuth client", &Builder::AddOAuthClient},
           Section{"rateLimitRules", "rate-limit rule",
                   &Builder::AddRateLimitRule},
       }) {
    absl::Status status =
        Each(top, section.key, section.what,
             [&](const Entry& entry) { return (builder.*section.add)(entry); });
    if (!status.ok()) return status;
  }
  return builder.Take();
}

nlohmann::json ActiveRateRulesJson(const Fixture& fixture) {
  json rules = json::array();
  for (const RateLimitRule& rule : fixture.rate_limit_rules) {
    if (!rule.active) continue;
    json entry = {{"type", rule.type}, {"limit", rule.requests_per_hour}};
    if (rule.type == "user") entry["user"] = rule.user;
    if (rule.type == "role") entry["role"] = rule.role;
    rules.push_back(std::move(entry));
  }
  return {{"rules", std::move(rules)}};
}

absl::StatusOr<Fixture> FixtureFromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read the fixture \"", path,
        "\"; pass --fixture=<path>, e.g. tools/servicenow_sim/testdata/fixture.json"));
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<Fixture> fixture = FixtureFromJsonText(text.str());
  if (!fixture.ok()) {
    return absl::Status(fixture.status().code(),
                        absl::StrCat(path, ": ", fixture.status().message()));
  }
  return fixture;
}

absl::Status LoadFixture(const Fixture& fixture,
                         ServiceNowSimulator& simulator) {
  const std::string now = simulator.Now();
  for (const FixtureRow& row : fixture.rows) {
    absl::StatusOr<Record> seeded = simulator.store().Seed(row.table, row.row, now);
    if (!seeded.ok()) {
      return absl::Status(
          seeded.status().code(),
          absl::StrCat("fixture row ", row.table, "/", row.row.at("sys_id"),
                       ": ", seeded.status().message()));
    }
  }
  return simulator.rate_rules().Replace(ActiveRateRulesJson(fixture));
}

}  // namespace ferry::servicenow_sim

#undef FIXTURE_ASSIGN
