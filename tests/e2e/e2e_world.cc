#include "tests/e2e/e2e_world.h"

#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tools/jira_sim/model.h"
#include "tools/pagerduty_sim/seed.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::e2e {
namespace {

constexpr char kAda[] = "ada@example.com";
constexpr char kAlice[] = "5b10a2844c20165700ede21g";
constexpr char kPdTokenEnv[] = "E2E_PAGERDUTY_TOKEN";
constexpr char kJiraTokenEnv[] = "E2E_JIRA_TOKEN";

// The systems and server of every scenario; @…@ are filled in.
constexpr char kSystems[] = R"(systems:
  - name: pagerduty
    kind: pagerduty
    url: http://127.0.0.1:@PD_PORT@
    token: {env: E2E_PAGERDUTY_TOKEN}
    user_email: @PD_EMAIL@
@TARGET@server:
  state_dir: "@DIR@/state"
  control_listen: 127.0.0.1:0
  metrics_listen: 127.0.0.1:0
)";

// The jira system; @…@ are filled in.
constexpr char kJiraSystem[] = R"(  - name: jira
    kind: jira
    url: http://127.0.0.1:@JIRA_PORT@
    token: {env: E2E_JIRA_TOKEN}
@JIRA_AUTH@    options: {deployment: @DEPLOYMENT@@JIRA_OPTIONS@}
)";

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/",
                      std::getenv("TEST_WORKSPACE"), "/", path);
}

// The e-mail address of a seed token's user, for PagerDuty's From header.
std::string EmailOfToken(const std::string& token) {
  if (token == "observer-token") return "otto@example.com";
  if (token == "admin-token") return "ada@example.com";
  return "rita@example.com";
}

std::vector<std::string> LogLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

FerryWorld::FerryWorld(const std::string& name, std::string pd_token)
    : pd_token_(std::move(pd_token)) {
  dir_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  config_path_ = dir_ + "/ferry.yaml";

  auto state = pagerduty_sim::StateFromSeed(pagerduty_sim::TestSeed(), absl::Now());
  if (!state.ok()) {
    ADD_FAILURE() << "PagerDuty seed: " << state.status();
    state = pagerduty_sim::State();
  }
  pd_ = std::make_unique<pagerduty_sim::PagerDutySim>(simcore::SimServerOptions(),
                                                      *std::move(state));
  auto port = pd_->Start();
  if (!port.ok()) ADD_FAILURE() << "PagerDuty simulator: " << port.status();
  pd_client_ = std::make_unique<httplib::Client>("127.0.0.1", pd_->port());
  pd_client_->set_tcp_nodelay(true);
  // The server may still be getting ready to accept: one request makes
  // sure it serves before ferryd starts.
  PdGet("/priorities");
}

FerryWorld::~FerryWorld() {
  EndFerryd();
  pd_->Stop();
}

void FerryWorld::EndFerryd() { ferryd_.reset(); }

void FerryWorld::WriteConfigWith(const std::string& target_system, const std::string& body) {
  const std::string systems = absl::StrReplaceAll(
      kSystems, {{"@PD_PORT@", absl::StrCat(pd_->port())},
                 {"@PD_EMAIL@", EmailOfToken(pd_token_)},
                 {"@TARGET@", target_system},
                 {"@DIR@", dir_}});
  WriteConfigText(systems + body);
}

void FerryWorld::WriteConfigText(const std::string& config) {
  std::ofstream(config_path_) << config;
}

void FerryWorld::SetTargetSecret(std::string env, std::string value) {
  target_secret_env_ = std::move(env);
  target_secret_ = std::move(value);
}

E2eWorld::E2eWorld(const std::string& name, Options options)
    : FerryWorld(name, options.pd_token), options_(std::move(options)) {
  jira_ = std::make_unique<jira_sim::TestJira>(options_.jira);
  // The simulator's server may still be getting ready to accept.
  jira_->Get("/rest/api/2/serverInfo");
  // Real Cloud's search index is eventually consistent: every scenario
  // runs against a lagging one (the simulator applies it to Cloud's
  // /search/jql).
  auto lag = jira_->Put("/admin/jira/index_lag",
                        {{"milliseconds", absl::ToInt64Milliseconds(kJiraIndexLag)}}, "");
  if (!lag || lag->status != 200) ADD_FAILURE() << "could not set the Jira index lag";
}

E2eWorld::~E2eWorld() {
  EndFerryd();
  jira_.reset();
}

void E2eWorld::WriteConfig(const std::string& body, const std::string& jira_options) {
  const bool cloud = options_.jira == jira_sim::Dialect::kCloud;
  SetTargetSecret(kJiraTokenEnv, cloud ? "ferry-api-token" : "ferry-pat");
  WriteConfigWith(
      absl::StrReplaceAll(
          kJiraSystem,
          {{"@JIRA_PORT@", absl::StrCat(jira_->port())},
           {"@JIRA_AUTH@", cloud ? "    user_email: ferry@example.com\n" : ""},
           {"@DEPLOYMENT@", cloud ? "cloud" : "datacenter"},
           {"@JIRA_OPTIONS@", jira_options.empty() ? "" : ", " + jira_options}}),
      body);
}

bool FerryWorld::StartFerryd() {
  ::setenv(kPdTokenEnv, pd_token_.c_str(), 1);
  if (!target_secret_env_.empty()) {
    ::setenv(target_secret_env_.c_str(), target_secret_.c_str(), 1);
  }
  ferryd_ = std::make_unique<testing::FerrydProcess>(
      std::vector<std::string>{"--config=" + config_path_},
      absl::StrCat(dir_, "/ferryd-", ++starts_, ".log"));
  const bool started = ferryd_->WaitStarted(absl::Seconds(60)).has_value();
  if (!started) {
    ADD_FAILURE() << "ferryd did not start; its log:\n"
                  << absl::StrJoin(LogLines(ferryd_->log()), "\n");
  }
  return started;
}

bool FerryWorld::Reload() {
  const auto count = [this](const std::string& event) {
    return static_cast<int>(LogEvents(event).size());
  };
  const int reloaded = count("ferryd.reloaded");
  const int refused = count("ferryd.reload_refused") + count("ferryd.reload_failed");
  ::kill(ferryd_->pid(), SIGHUP);
  bool applied = false;
  const bool settled = Eventually([&] {
    applied = count("ferryd.reloaded") > reloaded;
    return applied || count("ferryd.reload_refused") + count("ferryd.reload_failed") > refused;
  });
  if (!settled || !applied) {
    ADD_FAILURE() << "the reload was not applied; ferryd's log:\n"
                  << absl::StrJoin(LogLines(ferryd_->log()), "\n");
  }
  return settled && applied;
}

void FerryWorld::KillFerryd() { ferryd_->Stop(SIGKILL); }

void FerryWorld::StopFerryd() {
  const int status = ferryd_->Stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "ferryd did not exit cleanly; see " << ferryd_->log();
}

int FerryWorld::ControlPort() const {
  const auto started = LogEvents("ferryd.started");
  return started.empty() ? 0 : started.back().value("control_port", 0);
}

std::vector<nlohmann::json> FerryWorld::LogEvents(const std::string& event) const {
  std::vector<nlohmann::json> events;
  if (ferryd_ == nullptr) return events;
  for (const std::string& line : LogLines(ferryd_->log())) {
    nlohmann::json parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.value("event", "") == event) {
      events.push_back(std::move(parsed));
    }
  }
  return events;
}

std::string FerryWorld::Ferryctl(const std::vector<std::string>& args,
                               int* exit_code) const {
  std::string command = absl::StrCat("'", Runfile("tools/ferryctl/ferryctl"),
                                     "' --server=127.0.0.1:", ControlPort());
  for (const std::string& arg : args) absl::StrAppend(&command, " '", arg, "'");
  absl::StrAppend(&command, " 2>&1");
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return output;
  }
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0;) {
    output.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  if (exit_code != nullptr) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

std::string FerryWorld::Diagnostics() const {
  if (ferryd_ == nullptr) return "ferryd never started";
  std::vector<std::string> lines = LogLines(ferryd_->log());
  if (lines.size() > 40) lines.erase(lines.begin(), lines.end() - 40);
  std::string failures =
      ferryd_->pid() > 0 ? Ferryctl({"failures", "list"}) : "(ferryd not running)";
  return absl::StrCat("ferryctl failures list:\n", failures, "\nferryd log (",
                      ferryd_->log(), ") tail:\n", absl::StrJoin(lines, "\n"));
}

// --- PagerDuty ------------------------------------------------------------

nlohmann::json FerryWorld::ActAsAda(const std::string& method, const std::string& path,
                                  const nlohmann::json& body) {
  nlohmann::json act = {{"as", kAda}, {"method", method}, {"path", path}};
  if (!body.is_null()) act["body"] = body;
  auto result = pd_client_->Post("/admin/act", act.dump(), "application/json");
  if (!result || result->status >= 300) {
    ADD_FAILURE() << "PagerDuty " << method << " " << path << " as ada: "
                  << (result ? result->body : "no response");
  }
  return jira_sim::Body(result);
}

nlohmann::json FerryWorld::PdGet(const std::string& path) {
  auto get = [&] {
    return pd_client_->Get(path.c_str(),
                           {{"Accept", "application/vnd.pagerduty+json;version=2"},
                            {"Authorization", "Token token=account-full"}});
  };
  httplib::Result result = get();
  // The test's own reads go through a storm's injected 429s too.
  for (int retry = 0; retry < 50 && result && result->status == 429; ++retry) {
    absl::SleepFor(absl::Milliseconds(20));
    result = get();
  }
  if (!result || result->status >= 300) {
    ADD_FAILURE() << "PagerDuty GET " << path << ": "
                  << (result ? result->body : "no response");
    return nlohmann::json::object();
  }
  return jira_sim::Body(result);
}

nlohmann::json FerryWorld::PdAdmin(const std::string& method, const std::string& path,
                                 const nlohmann::json& body) {
  httplib::Result result =
      method == "GET"      ? pd_client_->Get(path.c_str())
      : method == "DELETE" ? pd_client_->Delete(path.c_str())
      : method == "PUT"    ? pd_client_->Put(path.c_str(), body.dump(), "application/json")
                           : pd_client_->Post(path.c_str(), body.dump(), "application/json");
  if (!result || result->status >= 300) {
    ADD_FAILURE() << "PagerDuty admin " << method << " " << path << ": "
                  << (result ? result->body : "no response");
  }
  return jira_sim::Body(result);
}

std::string FerryWorld::TriggerIncident(const std::string& title,
                                      const std::string& service,
                                      const nlohmann::json& extra) {
  nlohmann::json incident = {
      {"type", "incident"},
      {"title", title},
      {"service", {{"id", service}, {"type", "service_reference"}}}};
  incident.update(extra);
  return ActAsAda("POST", "/incidents", {{"incident", incident}})["incident"].value("id", "");
}

void FerryWorld::UpdateIncident(const std::string& id, const nlohmann::json& fields) {
  nlohmann::json incident = {{"type", "incident_reference"}};
  incident.update(fields);
  ActAsAda("PUT", "/incidents/" + id, {{"incident", incident}});
}

void FerryWorld::SetPriority(const std::string& id, const std::string& name) {
  const nlohmann::json priorities = PdGet("/priorities");
  for (const auto& priority : priorities.value("priorities", nlohmann::json::array())) {
    if (priority.value("name", "") == name) {
      UpdateIncident(id, {{"priority",
                           {{"id", priority["id"]}, {"type", "priority_reference"}}}});
      return;
    }
  }
  ADD_FAILURE() << "no PagerDuty priority named " << name;
}

void FerryWorld::AddNote(const std::string& id, const std::string& text) {
  ActAsAda("POST", absl::StrCat("/incidents/", id, "/notes"), {{"note", {{"content", text}}}});
}

nlohmann::json FerryWorld::Incident(const std::string& id) {
  return PdGet("/incidents/" + id)["incident"];
}

std::vector<nlohmann::json> FerryWorld::Incidents(const std::string& service) {
  std::vector<nlohmann::json> incidents;
  for (int offset = 0;; offset += 100) {
    nlohmann::json page = PdGet(absl::StrCat(
        "/incidents?date_range=all&limit=100&sort_by=created_at:asc&service_ids[]=",
        service, "&offset=", offset));
    if (!page.is_object()) break;
    for (const auto& incident : page.value("incidents", nlohmann::json::array())) {
      incidents.push_back(incident);
    }
    if (!page.value("more", false)) break;
  }
  return incidents;
}

std::vector<std::string> FerryWorld::Notes(const std::string& id) {
  std::vector<std::string> notes;
  const nlohmann::json page = PdGet(absl::StrCat("/incidents/", id, "/notes"));
  for (const auto& note : page.value("notes", nlohmann::json::array())) {
    notes.push_back(note.value("content", ""));
  }
  return notes;
}

// --- Jira -----------------------------------------------------------------

nlohmann::json E2eWorld::ActAsAlice(const std::string& method, const std::string& path,
                                    const nlohmann::json& body) {
  const std::string full = absl::StrCat("/admin/jira/as/", kAlice, "/rest/api/2", path);
  httplib::Result result =
      method == "GET"   ? jira_->Get(full, "")
      : method == "PUT" ? jira_->Put(full, body, "")
                        : jira_->Post(full, body, "");
  if (!result || result->status >= 300) {
    ADD_FAILURE() << "Jira " << method << " " << path << " as alice: "
                  << (result ? result->body : "no response");
  }
  return jira_sim::Body(result);
}

nlohmann::json E2eWorld::JiraAdmin(const std::string& method, const std::string& path,
                                   const nlohmann::json& body) {
  httplib::Result result = method == "GET"      ? jira_->Get(path, "")
                           : method == "DELETE" ? jira_->Delete(path, "")
                           : method == "PUT"    ? jira_->Put(path, body, "")
                                                : jira_->Post(path, body, "");
  if (!result || result->status >= 300) {
    ADD_FAILURE() << "Jira admin " << method << " " << path << ": "
                  << (result ? result->body : "no response");
  }
  return jira_sim::Body(result);
}

void E2eWorld::EditJiraFixture(const std::function<void(nlohmann::json&)>& edit) {
  std::ifstream in("tools/jira_sim/testdata/fixture.json");
  nlohmann::json fixture = nlohmann::json::parse(in, nullptr, false);
  if (fixture.is_discarded()) {
    ADD_FAILURE() << "tools/jira_sim/testdata/fixture.json is missing from the runfiles";
    return;
  }
  edit(fixture);
  JiraAdmin("PUT", "/admin/jira/fixture", fixture);
}

std::vector<E2eWorld::JiraIssue> E2eWorld::JiraIssues(const std::string& project) {
  return jira_->simulator().store().Read([&](const jira_sim::State& state) {
    std::vector<JiraIssue> issues;
    const jira_sim::Project* wanted = jira_sim::FindProject(state, project);
    for (const auto& [id, issue] : state.issues) {
      if (wanted == nullptr || issue.project_id != wanted->id) continue;
      JiraIssue copy;
      copy.key = issue.key;
      copy.summary = issue.summary;
      if (const auto* status = jira_sim::FindStatus(state, issue.status_id)) {
        copy.status = status->name;
      }
      if (const auto* priority = jira_sim::FindPriority(state, issue.priority_id)) {
        copy.priority = priority->name;
      }
      copy.description = issue.description.value_or("");
      auto text = [&](const char* id) {
        auto field = issue.custom_fields.find(id);
        return field != issue.custom_fields.end() && field->second.is_string()
                   ? field->second.get<std::string>()
                   : std::string();
      };
      copy.pd_incident = text("customfield_10010");
      copy.root_cause = text("customfield_10012");
      if (const auto* resolution = jira_sim::FindResolution(state, issue.resolution_id)) {
        copy.resolution = resolution->name;
      }
      for (const auto& comment : issue.comments) copy.comments.push_back(comment.body);
      issues.push_back(std::move(copy));
    }
    return issues;
  });
}

std::vector<E2eWorld::JiraIssue> E2eWorld::IssuesFor(const std::string& incident_id,
                                                     const std::string& project) {
  std::vector<JiraIssue> found;
  for (auto& issue : JiraIssues(project)) {
    if (issue.pd_incident == incident_id) found.push_back(std::move(issue));
  }
  return found;
}

std::string E2eWorld::CreateIssue(const std::string& summary, const nlohmann::json& fields) {
  nlohmann::json all = {{"project", {{"key", "OPS"}}},
                        {"issuetype", {{"name", "Task"}}},
                        {"summary", summary}};
  all.update(fields);
  return ActAsAlice("POST", "/issue", {{"fields", all}}).value("key", "");
}

void E2eWorld::EditIssue(const std::string& key, const nlohmann::json& fields) {
  ActAsAlice("PUT", "/issue/" + key, {{"fields", fields}});
}

void E2eWorld::CommentIssue(const std::string& key, const std::string& body) {
  ActAsAlice("POST", absl::StrCat("/issue/", key, "/comment"), {{"body", body}});
}

void E2eWorld::TransitionIssue(const std::string& key, const std::string& transition) {
  const nlohmann::json offered =
      ActAsAlice("GET", absl::StrCat("/issue/", key, "/transitions"), nullptr);
  for (const auto& candidate : offered.value("transitions", nlohmann::json::array())) {
    if (candidate.value("name", "") == transition) {
      ActAsAlice("POST", absl::StrCat("/issue/", key, "/transitions"),
                 {{"transition", {{"id", candidate["id"]}}}});
      return;
    }
  }
  ADD_FAILURE() << key << " offers no transition named " << transition << ": " << offered
                << "\nits history: "
                << ActAsAlice("GET", absl::StrCat("/issue/", key, "?expand=changelog"), nullptr)
                       .value("changelog", nlohmann::json::object())
                << "\n" << Diagnostics();
}

// --- Helpers --------------------------------------------------------------

bool Eventually(const std::function<bool()>& condition, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return condition();
}

void AfterThisSecond() {
  const int64_t second = absl::ToUnixSeconds(absl::Now());
  Eventually([&] { return absl::ToUnixSeconds(absl::Now()) > second; });
}

bool CopyBecomes(E2eWorld& world, const std::string& incident,
                 const std::function<bool(const E2eWorld::JiraIssue&)>& condition) {
  return Eventually([&] {
    auto issues = world.IssuesFor(incident);
    return issues.size() == 1 && condition(issues.front());
  });
}

std::optional<nlohmann::json> IncidentTitled(FerryWorld& world, const std::string& title) {
  std::vector<nlohmann::json> found;
  Eventually([&] {
    found.clear();
    for (const auto& incident : world.Incidents("PSVCWEB")) {
      if (incident.value("title", "") == title) found.push_back(incident);
    }
    return !found.empty();
  });
  if (found.size() != 1) return std::nullopt;
  return found.front();
}

std::vector<std::string> NoteDifferences(
    const std::map<std::string, std::vector<std::string>>& notes,
    const std::function<std::vector<std::vector<std::string>>(const std::string&)>& copies_of) {
  std::vector<std::string> differences;
  for (const auto& [incident, texts] : notes) {
    const std::vector<std::vector<std::string>> copies = copies_of(incident);
    if (copies.size() != 1) {
      differences.push_back(absl::StrCat(incident, " has ", copies.size(), " copies"));
      continue;
    }
    for (const std::string& text : texts) {
      const int count = CountContaining(copies.front(), text);
      if (count != 1) {
        differences.push_back(absl::StrCat(incident, " note '", text, "' copied ", count,
                                           " times"));
      }
    }
  }
  return differences;
}

bool RepliesArrive(FerryWorld& world, const std::map<std::string, std::vector<std::string>>& notes,
                   const std::string& prefix) {
  return Eventually(
      [&] {
        for (const auto& [incident, unused] : notes) {
          if (CountContaining(world.Notes(incident), prefix + incident) != 1) return false;
        }
        return true;
      },
      absl::Seconds(120));
}

int CountContaining(const std::vector<std::string>& texts, const std::string& text) {
  int count = 0;
  for (const std::string& candidate : texts) count += absl::StrContains(candidate, text);
  return count;
}

}  // namespace ferry::e2e
