#include "connectors/jira/jira_connector.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "connectors/jira/jira_api.h"
#include "connectors/jira/jira_fields.h"
#include "connectors/jira/jira_options.h"
#include "connectors/jira/jira_reader.h"
#include "connectors/jira/jira_schema.h"
#include "connectors/jira/jira_site_fields.h"
#include "connectors/jira/jira_writer.h"
#include "connectors/jira/transition_screen.h"
#include "engine/config/system_options.h"
#include "engine/connector/registry.h"
#include "http/json_fields.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// How many recent issues of a project CheckSystem reads transitions from.
constexpr int kScreenSample = 50;

// Jira's permission keys and what Ferry needs each for.
constexpr std::pair<const char*, const char*> kPermissions[] = {
    {"BROWSE_PROJECTS", "browse"},
    {"CREATE_ISSUES", "create"},
    {"EDIT_ISSUES", "edit"},
    {"TRANSITION_ISSUES", "transition"},
    {"ADD_COMMENTS", "comment"},
};

class JiraConnector : public ferry::engine::Connector {
 public:
  JiraConnector(ferry::v1::SystemConfig system, std::unique_ptr<JiraApi> api,
                JiraOptions options)
      : system_(std::move(system)),
        api_(std::move(api)),
        options_(std::move(options)),
        transition_fields_(options_.transition_fields().begin(),
                           options_.transition_fields().end()) {}

  absl::StatusOr<std::vector<mapping::FieldSpec>> SiteFields() override {
    return SiteCustomFields(*api_);
  }

  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>& projects) override {
    auto deployment = api_->GetDeployment();
    if (!deployment.ok()) return deployment.status();
    const bool cloud = *deployment == Deployment::kCloud;
    auto myself = api_->Get("/myself");
    if (!myself.ok()) return myself.status();
    ferry::v1::CheckSystemResponse response;
    *response.mutable_user() = UserFromJson(*myself, cloud);
    response.set_role(cloud ? "Jira Cloud user" : "Jira Data Center user");
    response.add_capabilities(absl::StrCat(
        "deployment: ", cloud ? "cloud (REST v3)" : "data center (REST v2)"));
    response.add_capabilities(
        absl::StrCat("time zone: ", http::StringOr(*myself, "timeZone", "unknown")));
    std::vector<std::string> keys;
    for (const auto& [key, unused] : kPermissions) keys.push_back(key);
    for (const std::string& project : projects) {
      auto granted = api_->Get(absl::StrCat(
          "/mypermissions?projectKey=", JiraApi::EscapePath(project),
          "&permissions=", absl::StrJoin(keys, ",")));
      if (!granted.ok()) {
        response.add_problems(absl::StrCat(
            "project ", project, ": ", granted.status().message(),
            "; check the project key and that the user may browse it"));
        continue;
      }
      std::vector<std::string> have, missing;
      for (const auto& [key, verb] : kPermissions) {
        const json& permission =
            http::MemberOrNull(http::MemberOrNull(*granted, "permissions"), key);
        // Anything but true (absent, malformed) is not a grant.
        const bool allowed = http::MemberOrNull(permission, "havePermission") == true;
        (allowed ? have : missing).push_back(verb);
        if (!allowed) {
          response.add_problems(absl::StrCat(
              "project ", project, ": ", response.user().name(), " may not ",
              verb, "; grant the ", key, " permission in the project's "
              "permission scheme"));
        }
      }
      response.add_capabilities(absl::StrCat(
          "project ", project, ": ", have.empty() ? "nothing" : absl::StrJoin(have, ", "),
          missing.empty() ? ": ok" : absl::StrCat(" (not ", absl::StrJoin(missing, ", "), ")")));
      CheckTransitionScreens(project, cloud, response);
    }
    response.set_ok(response.problems_size() == 0);
    return response;
  }

  // What a non-admin can see of the project's workflows: the transitions,
  // with their screens, out of the statuses its recent issues are in. Each
  // screen field Ferry could not fill (ScreenFields) is a problem.
  void CheckTransitionScreens(const std::string& project, bool cloud,
                              ferry::v1::CheckSystemResponse& response) {
    SearchRequest request;
    request.jql =
        absl::StrCat("project = ", JiraApi::QuoteJql(project), " ORDER BY updated DESC");
    request.fields = {"status", "issuetype"};
    request.expand = {"transitions.fields"};
    request.page_size = kScreenSample;
    request.max_issues = kScreenSample;
    auto found = api_->Search(request);
    if (!found.ok()) {
      response.add_problems(absl::StrCat("project ", project,
                                         ": could not read its transitions: ",
                                         found.status().message()));
      return;
    }
    const ScreenValues values{"", &transition_fields_, system_.name(), cloud};
    std::set<std::string> seen, problems;
    for (size_t i = 0; i < found->issues.size(); ++i) {
      const json& issue = found->issues[i];
      const json& fields = http::MemberOrNull(issue, "fields");
      const std::string type =
          http::StringOr(http::MemberOrNull(fields, "issuetype"), "name");
      const std::string status = http::StringOr(http::MemberOrNull(fields, "status"), "name");
      if (!seen.insert(absl::StrCat(type, " in ", status)).second) continue;
      auto transitions = ParseTransitions(
          http::JsonReader(issue, "jira search", absl::StrCat("issues[", i, "]")));
      if (!transitions.ok()) continue;  // the writer reports it when it matters
      for (const WorkflowTransition& transition : *transitions) {
        auto filled = ScreenFields(transition, values);
        if (!filled.ok()) {
          problems.insert(absl::StrCat("project ", project, ", ", type, " issues in '",
                                       status, "': ", filled.status().message()));
        }
      }
    }
    for (const std::string& problem : problems) response.add_problems(problem);
    response.add_capabilities(absl::StrCat(
        "project ", project, ": transition screens seen from ",
        seen.empty() ? "no status yet (no issues to read them from)"
                     : absl::StrJoin(seen, ", ")));
  }

  absl::StatusOr<std::unique_ptr<ferry::engine::ChangeReader>> NewReader(
      const ferry::engine::ReaderOptions& options) override {
    auto me = Me();
    if (!me.ok()) return me.status();
    JiraReaderOptions reader;
    reader.reader = options;
    reader.system = system_.name();
    reader.me = *me;
    reader.overlap =
        absl::Seconds(options_.has_overlap_seconds() ? options_.overlap_seconds() : 60);
    return std::make_unique<JiraReader>(api_.get(), std::move(reader));
  }

  absl::StatusOr<std::unique_ptr<ferry::engine::EntityWriter>> NewWriter(
      const std::string&) override {
    return std::make_unique<JiraWriter>(api_.get(), system_.name(), transition_fields_);
  }

 private:
  absl::StatusOr<ferry::v1::UserRef> Me() {
    {
      absl::MutexLock lock(&mu_);
      if (me_.has_value()) return *me_;
    }
    auto deployment = api_->GetDeployment();
    if (!deployment.ok()) return deployment.status();
    const bool cloud = *deployment == Deployment::kCloud;
    auto myself = api_->Get("/myself");
    if (!myself.ok()) return myself.status();
    // Without the id, the reader could not tell Ferry's own changes (echo).
    if (auto id = http::JsonReader(*myself, "jira GET /myself")
                      .RequireString(cloud ? "accountId" : "key");
        !id.ok()) {
      return id.status();
    }
    ferry::v1::UserRef me = UserFromJson(*myself, cloud);
    absl::MutexLock lock(&mu_);
    me_ = me;
    return me;
  }

  const ferry::v1::SystemConfig system_;
  const std::unique_ptr<JiraApi> api_;
  const JiraOptions options_;
  const std::map<std::string, std::string> transition_fields_;
  absl::Mutex mu_;
  std::optional<ferry::v1::UserRef> me_ ABSL_GUARDED_BY(mu_);
};

const ferry::engine::SystemRegistration kRegistration(
    {JiraSchema(), JiraOptionsSpec(), &MakeJiraConnector});

}  // namespace

absl::StatusOr<std::unique_ptr<ferry::engine::Connector>> MakeJiraConnector(
    const ferry::v1::SystemConfig& system, const std::string& secret,
    const ferry::engine::ConnectorContext& context) {
  JiraOptions options;
  if (absl::Status unpacked = ferry::config::UnpackSystemOptions(system, &options);
      !unpacked.ok()) {
    return unpacked;
  }
  auto api = JiraApi::Create(system, secret, context);
  if (!api.ok()) return api.status();
  return std::make_unique<JiraConnector>(system, *std::move(api), std::move(options));
}

}  // namespace ferry::jira
