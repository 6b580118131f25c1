#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tests/support/ferryd_process.h"
#include "tools/jira_sim/render.h"
#include "tools/jira_sim/testing/test_jira.h"
#include "tools/pagerduty_sim/pagerduty_sim.h"

namespace ferry::e2e {

// What every end-to-end scenario shares, whatever the other system: the
// PagerDuty simulator (testdata/seed.json: people ada, rita, otto…,
// services PSVCWEB and PSVCDB1, priorities P1..P3) in this process on an
// OS-chosen port, and ferryd as a real child process over a config in
// $TEST_TMPDIR/<name>. E2eWorld adds Jira, SnWorld (sn_world.h) ServiceNow.
//
// People act through the simulators' admin channels (PagerDuty's
// /admin/act as ada), which are never faulted or rate limited; Ferry uses
// its tokens over REST. Every helper fails the running gtest test
// (ADD_FAILURE) when a call is refused, so a scenario reads as its story.
// Not thread-safe: one test thread drives it.
class FerryWorld {
 public:
  // `pd_token` is the PagerDuty token Ferry uses (a seed token:
  // "responder-token" is Rita, a Responder; "observer-token" is Otto, an
  // Observer).
  FerryWorld(const std::string& name, std::string pd_token);
  virtual ~FerryWorld();  // Kills ferryd if it still runs, stops PagerDuty.

  // --- ferryd -------------------------------------------------------------

  // Starts ferryd over the config and waits for it to serve; false (with
  // a test failure naming the log) when it does not.
  bool StartFerryd();
  // SIGHUP, then waits for the reload to be applied; false when refused.
  bool Reload();
  // SIGKILL: no goodbye, no flush.
  void KillFerryd();
  // SIGTERM and a clean exit expected.
  void StopFerryd();

  // Runs ferryctl against the running ferryd (if any) and returns what it printed
  // (stdout and stderr); `exit_code` receives its exit status.
  std::string Ferryctl(const std::vector<std::string>& args,
                       int* exit_code = nullptr) const;
  // What to print when a scenario fails: open failures and the log's tail.
  std::string Diagnostics() const;
  // The lines of `event` in the running (or last) ferryd's log, parsed,
  // oldest first.
  std::vector<nlohmann::json> LogEvents(const std::string& event) const;

  // --- PagerDuty ----------------------------------------------------------

  // A new incident on `service` created by ada, with `extra` incident
  // fields; returns its id.
  std::string TriggerIncident(const std::string& title,
                              const std::string& service = "PSVCWEB",
                              const nlohmann::json& extra = nlohmann::json::object());
  // PUT /incidents/<id> as ada with these incident fields. PagerDuty logs
  // no entry for a title change alone, so Ferry sees one with the
  // incident's next logged change (status, priority, urgency, note).
  void UpdateIncident(const std::string& id, const nlohmann::json& fields);
  // Sets an incident's priority by name ("P1") as ada.
  void SetPriority(const std::string& id, const std::string& name);
  // Adds a note as ada.
  void AddNote(const std::string& id, const std::string& text);
  // The incident as PagerDuty's REST API shows it (null when absent).
  nlohmann::json Incident(const std::string& id);
  // Every incident of `service`, any status, oldest first.
  std::vector<nlohmann::json> Incidents(const std::string& service);
  // The note texts of an incident.
  std::vector<std::string> Notes(const std::string& id);
  // A call to the PagerDuty simulator's admin API (simcore's faults, rate
  // limit, clock); returns the response body.
  nlohmann::json PdAdmin(const std::string& method, const std::string& path,
                         const nlohmann::json& body = nullptr);

  const std::string& dir() const { return dir_; }
  const std::string& config_path() const { return config_path_; }
  // The PagerDuty simulator's port on 127.0.0.1.
  int pd_port() const { return pd_->port(); }

 protected:
  // Writes the config: the "pagerduty" system, `target_system` (the other
  // system's entry under `systems:`, "  - name: jira\n    kind: jira…"),
  // the server section (state in dir(), control and metrics on OS-chosen
  // ports), then `body` (its `mappings:` and `integrations:`).
  void WriteConfigWith(const std::string& target_system, const std::string& body);
  // Writes `config` as it is.
  void WriteConfigText(const std::string& config);
  // The environment variable ferryd reads the other system's secret from,
  // and its value; exported by StartFerryd.
  void SetTargetSecret(std::string env, std::string value);
  // Ends ferryd (SIGKILL) if it still runs; a subclass's destructor calls
  // it before stopping its simulator, so ferryd never sees it go away.
  void EndFerryd();

 private:
  // A REST call as ada through /admin/act; returns the response body.
  nlohmann::json ActAsAda(const std::string& method, const std::string& path,
                          const nlohmann::json& body);
  // GET with the account token over REST.
  nlohmann::json PdGet(const std::string& path);
  // The control port of the running ferryd (its latest "ferryd.started").
  int ControlPort() const;

  const std::string pd_token_;
  std::string dir_;
  std::string config_path_;
  std::string target_secret_env_;
  std::string target_secret_;
  std::unique_ptr<pagerduty_sim::PagerDutySim> pd_;
  std::unique_ptr<httplib::Client> pd_client_;
  std::unique_ptr<testing::FerrydProcess> ferryd_;
  int starts_ = 0;  // ferryd processes started, for log file names
};

// PagerDuty and the Jira simulator (testdata/fixture.json: users ferry and
// alice, projects OPS, WEB and TRI) in this process on an OS-chosen port.
// Alice acts through Jira's /admin/jira/as/<alice>, which is never faulted
// or rate limited.
class E2eWorld : public FerryWorld {
 public:
  // How far behind Jira Cloud's search index runs in every scenario.
  static constexpr absl::Duration kJiraIndexLag = absl::Milliseconds(1500);

  // Which Jira Ferry talks to, and which PagerDuty token it uses.
  struct Options {
    jira_sim::Dialect jira = jira_sim::Dialect::kDataCenter;
    std::string pd_token = "responder-token";
  };

  E2eWorld(const std::string& name, Options options);
  ~E2eWorld() override;  // Kills ferryd first, then stops the simulators.

  // Writes the config: the two systems ("pagerduty", "jira") and the
  // server section, followed by `body` (its `mappings:` and
  // `integrations:`). `jira_options` is added to the jira system's options
  // block ("transition_fields: {customfield_10012: disk}", say).
  void WriteConfig(const std::string& body, const std::string& jira_options = "");

  // --- Jira ---------------------------------------------------------------

  // An issue as the test reads it (straight from the simulator's store).
  struct JiraIssue {
    std::string key;
    std::string summary;
    std::string status;    // name
    std::string priority;  // name, empty for none
    std::string description;
    std::string pd_incident;            // customfield_10010, "PagerDuty Incident"
    std::string resolution;             // name, empty when unresolved
    std::string root_cause;             // customfield_10012, "Root cause"
    std::vector<std::string> comments;  // bodies, oldest first
  };
  // The issues of a project, oldest first.
  std::vector<JiraIssue> JiraIssues(const std::string& project = "OPS");
  // The issues of `project` whose "PagerDuty Incident" field is
  // `incident_id`.
  std::vector<JiraIssue> IssuesFor(const std::string& incident_id,
                                   const std::string& project = "OPS");
  // A new issue created by alice; `fields` are merged into the request's
  // fields. Returns its key.
  std::string CreateIssue(const std::string& summary,
                          const nlohmann::json& fields = nlohmann::json::object());
  // Alice's edits, comments and transitions (by transition name).
  void EditIssue(const std::string& key, const nlohmann::json& fields);
  void CommentIssue(const std::string& key, const std::string& body);
  void TransitionIssue(const std::string& key, const std::string& transition);
  // Replaces the Jira simulator's state with testdata/fixture.json as
  // changed by `edit` (a workflow with another transition, say).
  void EditJiraFixture(const std::function<void(nlohmann::json&)>& edit);
  // A call to the Jira simulator's admin API; returns the response body.
  nlohmann::json JiraAdmin(const std::string& method, const std::string& path,
                           const nlohmann::json& body = nullptr);

 private:
  // A REST call as alice through /admin/jira/as/; returns the body.
  nlohmann::json ActAsAlice(const std::string& method, const std::string& path,
                            const nlohmann::json& body);

  const Options options_;
  std::unique_ptr<jira_sim::TestJira> jira_;
};

// Polls `condition` until it holds or `timeout` passes; true when it held.
// Scenarios wait generously and never assert how long anything took.
bool Eventually(const std::function<bool()>& condition,
                absl::Duration timeout = absl::Seconds(60));

// Waits until the wall clock is past the current whole second: what was
// made before is older than an integration started after (integrations
// start at whole seconds).
void AfterThisSecond();

// Waits until exactly one Jira issue carries `incident` and it satisfies
// `condition`; true when that happened.
bool CopyBecomes(E2eWorld& world, const std::string& incident,
                 const std::function<bool(const E2eWorld::JiraIssue&)>& condition);

// Waits until an incident of PSVCWEB is titled `title` and returns it;
// nullopt when none came, or several did.
std::optional<nlohmann::json> IncidentTitled(FerryWorld& world, const std::string& title);

// Every way the copies of PagerDuty incidents differ from `notes` (incident
// id → note texts): an incident with no copy or several, a note not copied
// exactly once. `copies_of` gives an incident's copies, each as its comment
// texts. Empty when in step.
std::vector<std::string> NoteDifferences(
    const std::map<std::string, std::vector<std::string>>& notes,
    const std::function<std::vector<std::vector<std::string>>(const std::string&)>& copies_of);

// Waits (up to 2 minutes, long enough for a rate-limit storm) until every
// incident of `notes` (incident id → anything) has exactly one note
// containing `prefix` followed by its id; true when that happened.
bool RepliesArrive(FerryWorld& world, const std::map<std::string, std::vector<std::string>>& notes,
                   const std::string& prefix);

// How many of `texts` contain `text`.
int CountContaining(const std::vector<std::string>& texts, const std::string& text);

}  // namespace ferry::e2e
