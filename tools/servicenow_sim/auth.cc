#include "tools/servicenow_sim/auth.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/servicenow_sim/errors.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kTokenChars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int64_t kDefaultAccessLifespan = 1800;
constexpr int64_t kDefaultRefreshLifespan = 8640000;

// The first row of `table` whose `column` equals `value`.
const Record* FindBy(const Tables& tables, const std::string& table,
                     const std::string& column, const std::string& value) {
  const TableSchema* schema = tables.Schema(table);
  if (schema == nullptr || value.empty()) return nullptr;
  EncodedQuery query = EncodedQuery::Parse("");
  query.AddEquals(column, value);
  std::vector<const Record*> rows = tables.Select(*schema, query);
  return rows.empty() ? nullptr : rows.front();
}

Caller CallerFor(const Record& user) {
  Caller caller{ColumnValue(user, "sys_id"), ColumnValue(user, "user_name"), {}};
  for (absl::string_view role :
       absl::StrSplit(ColumnValue(user, "roles"), ',', absl::SkipWhitespace())) {
    caller.roles.insert(std::string(absl::StripAsciiWhitespace(role)));
  }
  return caller;
}

bool Active(const Record& user) { return ColumnValue(user, "active") != "false"; }

int64_t Lifespan(const Record& client, const std::string& column,
                 int64_t fallback) {
  int64_t seconds = 0;
  if (absl::SimpleAtoi(ColumnValue(client, column), &seconds) && seconds > 0) {
    return seconds;
  }
  return fallback;
}

std::string Param(const httplib::Params& form, const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? "" : it->second;
}

absl::Status Denied() { return absl::UnauthenticatedError("access_denied"); }

}  // namespace

void WriteNotAuthenticated(httplib::Response& res) {
  WriteError(res, 401, "User Not Authenticated",
             "Required to provide Auth information");
}

absl::StatusOr<Caller> Authenticator::CallerNamed(const std::string& user_name,
                                                  const Tables& tables) const {
  const Record* user = FindBy(tables, "sys_user", "user_name", user_name);
  if (user == nullptr) {
    return absl::NotFoundError("no sys_user with user_name " + user_name);
  }
  return CallerFor(*user);
}

absl::StatusOr<Caller> Authenticator::Authenticate(
    const std::string& authorization, const Tables& tables) const {
  absl::string_view value = authorization;
  if (absl::ConsumePrefix(&value, "Basic ")) {
    std::string decoded;
    if (!absl::Base64Unescape(value, &decoded)) return Denied();
    std::vector<std::string> parts =
        absl::StrSplit(decoded, absl::MaxSplits(':', 1));
    if (parts.size() != 2) return Denied();
    const Record* user = FindBy(tables, "sys_user", "user_name", parts[0]);
    if (user == nullptr || !Active(*user) ||
        ColumnValue(*user, "user_password").empty() ||
        ColumnValue(*user, "user_password") != parts[1]) {
      return Denied();
    }
    return CallerFor(*user);
  }
  if (absl::ConsumePrefix(&value, "Bearer ")) {
    std::string user_name;
    {
      absl::MutexLock lock(&mu_);
      auto grant = access_tokens_.find(value);
      if (grant == access_tokens_.end() ||
          grant->second.expires <= clock_->Now()) {
        return Denied();
      }
      user_name = grant->second.user_name;
    }
    const Record* user = FindBy(tables, "sys_user", "user_name", user_name);
    if (user == nullptr || !Active(*user)) return Denied();
    return CallerFor(*user);
  }
  return Denied();
}

std::string Authenticator::NewToken() {
  std::string token(86, 'A');
  for (char& c : token) {
    c = kTokenChars[absl::Uniform(random_, 0u, sizeof(kTokenChars) - 1)];
  }
  return token;
}

absl::StatusOr<nlohmann::json> Authenticator::IssueToken(
    const httplib::Params& form, const Tables& tables) {
  const Record* client =
      FindBy(tables, "oauth_entity", "client_id", Param(form, "client_id"));
  if (client == nullptr ||
      ColumnValue(*client, "client_secret") != Param(form, "client_secret")) {
    return Denied();
  }
  const std::string grant_type = Param(form, "grant_type");
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  std::string user_name;
  if (grant_type == "password") {
    const Record* user =
        FindBy(tables, "sys_user", "user_name", Param(form, "username"));
    if (user == nullptr || !Active(*user) ||
        ColumnValue(*user, "user_password").empty() ||
        ColumnValue(*user, "user_password") != Param(form, "password")) {
      return Denied();
    }
    user_name = ColumnValue(*user, "user_name");
  } else if (grant_type == "refresh_token") {
    auto grant = refresh_tokens_.find(Param(form, "refresh_token"));
    if (grant == refresh_tokens_.end() || grant->second.expires <= now ||
        grant->second.client_id != Param(form, "client_id")) {
      return Denied();
    }
    user_name = grant->second.user_name;
  } else {
    return Denied();
  }
  const std::string client_id = Param(form, "client_id");
  const int64_t access_lifespan =
      Lifespan(*client, "access_token_lifespan", kDefaultAccessLifespan);
  std::string access = NewToken();
  access_tokens_[access] = {user_name, client_id,
                            now + absl::Seconds(access_lifespan)};
  nlohmann::json body = {{"access_token", access},
                         {"scope", "useraccount"},
                         {"token_type", "Bearer"},
                         {"expires_in", access_lifespan - 1}};
  if (grant_type == "password") {
    std::string refresh = NewToken();
    refresh_tokens_[refresh] = {
        user_name, client_id,
        now + absl::Seconds(Lifespan(*client, "refresh_token_lifespan",
                                     kDefaultRefreshLifespan))};
    body["refresh_token"] = refresh;
  } else {
    body["refresh_token"] = Param(form, "refresh_token");
  }
  return body;
}

}  // namespace ferry::servicenow_sim
