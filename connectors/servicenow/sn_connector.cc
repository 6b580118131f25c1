#include "connectors/servicenow/sn_connector.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "connectors/servicenow/sn_options.h"
#include "connectors/servicenow/sn_query_dialect.h"
#include "connectors/servicenow/sn_reader.h"
#include "connectors/servicenow/sn_schema.h"
#include "connectors/servicenow/sn_table_client.h"
#include "connectors/servicenow/sn_writer.h"
#include "engine/connector/registry.h"
#include "http/json_fields.h"

namespace ferry::servicenow {
namespace {

using json = nlohmann::json;

// The tables Ferry reads, the role that grants it and what for.
struct TableNeed {
  const char* table;
  const char* role;
  const char* what;
};
constexpr TableNeed kTableNeeds[] = {
    {"incident", "itil", "read incidents"},
    {"sys_journal_field", "audit_viewer", "read comments and work notes"},
    {"sys_audit", "audit_viewer", "read field history"},
};

class ServiceNowConnector : public ferry::engine::Connector {
 public:
  ServiceNowConnector(ferry::v1::SystemConfig system, std::shared_ptr<TableClient> client)
      : system_(std::move(system)), client_(std::move(client)) {}

  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>& projects) override {
    ferry::v1::CheckSystemResponse response;
    if (!CheckUser(response)) {
      response.set_ok(false);
      return response;
    }
    for (const TableNeed& need : kTableNeeds) {
      ListRequest probe;
      probe.table = need.table;
      probe.fields = {"sys_id"};
      probe.limit = 1;
      absl::StatusOr<ListPage> page = client_->List(probe);
      if (page.ok()) {
        response.add_capabilities(absl::StrCat(need.what, " (", need.table, "): ok"));
      } else if (page.status().code() == absl::StatusCode::kPermissionDenied) {
        response.add_problems(absl::StrCat(response.user().name(), " may not ", need.what, " (",
                                           need.table, "); give the integration user the ",
                                           need.role, " role"));
      } else {
        response.add_problems(absl::StrCat("could not ", need.what, ": ", page.status().message()));
      }
    }
    for (const std::string& project : projects) CheckProject(project, response);
    response.set_ok(response.problems_size() == 0);
    return response;
  }

  absl::StatusOr<std::unique_ptr<ferry::engine::ChangeReader>> NewReader(
      const ferry::engine::ReaderOptions& options) override {
    if (system_.username().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "servicenow system '", system_.name(),
          "': username is empty, so a reader could not tell Ferry's own changes (echo); set "
          "it to the user name the access token belongs to"));
    }
    absl::StatusOr<std::string> scope = ProjectQuery(options.project);
    if (!scope.ok()) return scope.status();
    ServiceNowReaderOptions reader;
    reader.reader = options;
    reader.system = system_.name();
    reader.user_name = system_.username();
    reader.project_scope = *scope;
    return std::make_unique<ServiceNowReader>(client_.get(), std::move(reader));
  }

  absl::StatusOr<std::unique_ptr<ferry::engine::EntityWriter>> NewWriter(
      const std::string&) override {
    return std::make_unique<SnWriter>(client_, system_.name());
  }

 private:
  // Fills in the user and, when sys_user shows its roles, whether it may
  // write incidents. False (with the problem) when the instance cannot be
  // used at all: unreachable, or the credentials refused.
  bool CheckUser(ferry::v1::CheckSystemResponse& response) {
    response.mutable_user()->set_id(system_.username());
    response.mutable_user()->set_name(system_.username());
    if (system_.username().empty()) {
      response.add_problems(
          "username is empty: Ferry cannot tell its own changes from others' (echo); set it "
          "to the user name the access token belongs to");
      return false;
    }
    ListRequest request;
    request.table = "sys_user";
    request.query =
        absl::StrCat("user_name=", EncodedQueryDialect().EscapeValue(system_.username()));
    request.fields = {"user_name", "name", "email", "roles"};
    request.limit = 1;
    absl::StatusOr<ListPage> page = client_->List(request);
    if (!page.ok() && page.status().code() != absl::StatusCode::kPermissionDenied) {
      response.add_problems(
          absl::StrCat(page.status().message(),
                       page.status().code() == absl::StatusCode::kUnauthenticated
                           ? ""
                           : "; check url (the instance, https://<name>.service-now.com)"));
      return false;
    }
    response.set_role("ServiceNow user");
    if (!page.ok() || page->rows.empty()) {
      // Signed in, but the user record is out of sight (no read ACL on
      // sys_user); the probes below still tell what it may read.
      response.add_warnings(absl::StrCat("the user record of ", system_.username(),
                                         " is not visible in sys_user, so its roles are not "
                                         "either; writing incidents (role itil) shows on the "
                                         "first write"));
      return true;
    }
    const json& row = page->rows.front();
    response.mutable_user()->set_name(http::StringOr(row, "name", system_.username()));
    response.mutable_user()->set_email(http::StringOr(row, "email"));
    const std::string roles = http::StringOr(row, "roles");
    if (roles.empty()) {
      response.add_warnings(
          "sys_user shows no roles for the user; writing incidents (role "
          "itil) shows on the first write");
      return true;
    }
    response.set_role(absl::StrCat("ServiceNow user with roles ", roles));
    const std::vector<std::string> held = absl::StrSplit(roles, ',', absl::SkipWhitespace());
    auto has = [&](absl::string_view role) {
      return std::find(held.begin(), held.end(), role) != held.end() ||
             std::find(held.begin(), held.end(), "admin") != held.end();
    };
    if (has("itil")) {
      response.add_capabilities("write incidents (itil): ok");
    } else {
      response.add_problems(absl::StrCat(response.user().name(),
                                         " may not write incidents; give the integration user "
                                         "the itil role"));
    }
    return true;
  }

  void CheckProject(const std::string& project, ferry::v1::CheckSystemResponse& response) {
    absl::StatusOr<std::string> scope = ProjectQuery(project);
    if (!scope.ok()) {
      response.add_problems(std::string(scope.status().message()));
      return;
    }
    if (scope->empty()) {
      response.add_capabilities(absl::StrCat("project ", project, ": the whole incident table"));
      return;
    }
    absl::StatusOr<std::optional<json>> group = client_->Get("sys_user_group", project, {"name"});
    if (!group.ok()) {
      response.add_problems(absl::StrCat("project ", project, ": ", group.status().message()));
    } else if (!group->has_value()) {
      response.add_problems(
          absl::StrCat("project ", project,
                       ": no assignment group has this sys_id (or the user may not "
                       "read it); use a sys_id from sys_user_group, or incident"));
    } else {
      response.add_capabilities(absl::StrCat("project ", project, ": assignment group ",
                                             http::StringOr(**group, "name")));
    }
  }

  const ferry::v1::SystemConfig system_;
  const std::shared_ptr<TableClient> client_;
};

const ferry::engine::SystemRegistration kRegistration({ServiceNowSchema(), ServiceNowOptionsSpec(),
                                                       &MakeServiceNowConnector});

}  // namespace

absl::StatusOr<std::unique_ptr<ferry::engine::Connector>> MakeServiceNowConnector(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const ferry::engine::ConnectorContext& context) {
  absl::StatusOr<std::unique_ptr<TableClient>> client =
      TableClient::Create(system, secret, context);
  if (!client.ok()) return client.status();
  return std::make_unique<ServiceNowConnector>(system,
                                               std::shared_ptr<TableClient>(*std::move(client)));
}

}  // namespace ferry::servicenow
