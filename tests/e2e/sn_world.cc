#include "tests/e2e/sn_world.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"

namespace ferry::e2e {
namespace {

constexpr char kSnTokenEnv[] = "E2E_SERVICENOW_TOKEN";

// The servicenow system; @…@ are filled in.
constexpr char kSnSystem[] = R"(  - name: servicenow
    kind: servicenow
    url: http://127.0.0.1:@PORT@
    username: ferry
    token: {env: E2E_SERVICENOW_TOKEN}
    options: {@OPTIONS@}
)";

std::string Text(const nlohmann::json& row, const char* column) {
  const auto found = row.find(column);
  return found != row.end() && found->is_string() ? found->get<std::string>() : "";
}

}  // namespace

SnWorld::SnWorld(const std::string& name, std::string pd_token)
    : FerryWorld(name, std::move(pd_token)),
      sn_(std::make_unique<servicenow::SimulatedServiceNow>()) {}

SnWorld::~SnWorld() {
  EndFerryd();
  sn_.reset();
}

void SnWorld::WriteConfig(const std::string& body, const std::string& options) {
  SetTargetSecret(kSnTokenEnv, sn_->token());
  WriteConfigWith(absl::StrReplaceAll(kSnSystem, {{"@PORT@", absl::StrCat(sn_->sim().port())},
                                                  {"@OPTIONS@", options}}),
                  body);
}

void SnWorld::WriteExample(const std::string& example, const std::string& example_service) {
  const std::vector<std::pair<std::string, std::string>> changes = {
      {"url: https://api.pagerduty.com", absl::StrCat("url: http://127.0.0.1:", pd_port())},
      {"url: https://example.service-now.com",
       absl::StrCat("url: http://127.0.0.1:", sn_->sim().port())},
      {"{env: PD_TOKEN}", "{env: E2E_PAGERDUTY_TOKEN}"},
      {"{env: SERVICENOW_PASSWORD}", absl::StrCat("{env: ", kSnTokenEnv, "}")},
      {"user_email: ferry@example.com", "user_email: rita@example.com"},
      {"[" + example_service + "]", "[PSVCWEB]"},
      {"poll_interval: 30s", "poll_interval: 0.2s"},
      {"state_dir: ./ferry-state", absl::StrCat("state_dir: \"", dir(), "/state\"")},
      {"control_listen: 127.0.0.1:7400", "control_listen: 127.0.0.1:0"},
      {"metrics_listen: 127.0.0.1:9464", "metrics_listen: 127.0.0.1:0"}};
  for (const auto& [from, to] : changes) {
    if (!absl::StrContains(example, from)) {
      ADD_FAILURE() << "the example no longer says '" << from << "'; point it at the simulators";
    }
  }
  SetTargetSecret(kSnTokenEnv, sn_->token());
  WriteConfigText(absl::StrReplaceAll(example, changes));
}

std::vector<SnWorld::SnIncident> SnWorld::SnIncidents() {
  std::vector<SnIncident> incidents;
  for (const nlohmann::json& row : sn_->Rows("incident", "ORDERBYnumber")) {
    SnIncident incident;
    incident.sys_id = Text(row, "sys_id");
    incident.number = Text(row, "number");
    incident.short_description = Text(row, "short_description");
    incident.description = Text(row, "description");
    incident.state = Text(row, "state");
    incident.impact = Text(row, "impact");
    incident.urgency = Text(row, "urgency");
    incident.priority = Text(row, "priority");
    incident.close_code = Text(row, "close_code");
    incident.close_notes = Text(row, "close_notes");
    incident.hold_reason = Text(row, "hold_reason");
    incident.correlation_id = Text(row, "correlation_id");
    for (const nlohmann::json& entry : sn_->Rows(
             "sys_journal_field",
             absl::StrCat("element_id=", incident.sys_id, "^ORDERBYsys_created_on"))) {
      const std::string element = Text(entry, "element");
      if (element == "comments") incident.comments.push_back(Text(entry, "value"));
      if (element == "work_notes") incident.work_notes.push_back(Text(entry, "value"));
    }
    incidents.push_back(std::move(incident));
  }
  return incidents;
}

std::vector<SnWorld::SnIncident> SnWorld::IncidentsFor(const std::string& pd_incident) {
  std::vector<SnIncident> found;
  for (SnIncident& incident : SnIncidents()) {
    if (!pd_incident.empty() && absl::EndsWith(incident.correlation_id, pd_incident)) {
      found.push_back(std::move(incident));
    }
  }
  return found;
}

bool SnWorld::CopyBecomes(const std::string& pd_incident,
                          const std::function<bool(const SnIncident&)>& condition) {
  return Eventually([&] {
    const std::vector<SnIncident> copies = IncidentsFor(pd_incident);
    return copies.size() == 1 && condition(copies.front());
  });
}

std::string SnWorld::OpenIncident(const std::string& short_description,
                                  const nlohmann::json& fields) {
  nlohmann::json body = {{"short_description", short_description}};
  body.update(fields);
  const nlohmann::json created = sn_->As(kPerson, "POST", "/incident", body);
  return created.is_object() ? Text(created, "sys_id") : "";
}

void SnWorld::EditIncident(const std::string& sys_id, const nlohmann::json& fields) {
  sn_->As(kPerson, "PATCH", "/incident/" + sys_id, fields);
}

}  // namespace ferry::e2e
