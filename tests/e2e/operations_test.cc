// End to end: what running Ferry promises an operator — a config reload
// (SIGHUP) applies, a service added to a running integration is
// backfilled, an Observer token reads but cannot write, rate-limit storms
// and kill -9 lose and duplicate nothing, `ferryctl validate` refuses a
// hostile config. ferryd runs as a process against both simulators; each
// TEST is one promise.
#include <sys/stat.h>

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "engine/config/hostile_yaml_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_world.h"
#include "tests/e2e/scenarios.h"

namespace ferry::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Dialect = jira_sim::Dialect;

// Every way Jira differs from `notes` (NoteDifferences): the issues of
// each incident, their comments.
std::vector<std::string> Differences(E2eWorld& world,
                                     const std::map<std::string, std::vector<std::string>>& notes) {
  return NoteDifferences(notes, [&](const std::string& incident) {
    std::vector<std::vector<std::string>> copies;
    for (const auto& issue : world.IssuesFor(incident)) copies.push_back(issue.comments);
    return copies;
  });
}

// `ferryctl validate` refuses a hostile config with one line naming its
// place, rather than aborting or running for minutes.
TEST(OperationsTest, ValidateRefusesHostileConfigsAtTheirPlace) {
  E2eWorld world("hostile", {});
  const std::string aliases = world.dir() + "/aliases.yaml";
  std::ofstream(aliases) << config::NestedAliasYaml();
  int exit_code = 0;
  std::string printed = world.Ferryctl({"validate", aliases}, &exit_code);
  EXPECT_NE(exit_code, 0) << printed;
  EXPECT_THAT(printed, HasSubstr(aliases + ":4:"));
  EXPECT_THAT(printed, HasSubstr("Fix: remove the aliases or split the config"));

  const std::string not_utf8 = world.dir() + "/not-utf8.yaml";
  std::ofstream(not_utf8) << "mappings:\n  - name: caf\xC3\n";
  printed = world.Ferryctl({"validate", not_utf8}, &exit_code);
  EXPECT_NE(exit_code, 0) << printed;
  EXPECT_THAT(printed, HasSubstr(absl::StrCat(
                           not_utf8, ":2:14: invalid UTF-8 (byte 0xC3 not followed "
                                     "by a valid continuation byte). Fix: save the "
                                     "file as UTF-8")));
}

// `ferryctl validate` reads files as ferryd will: a config path that is a
// FIFO is named (before, validate blocked on it forever), and every TLS
// file is loaded, each problem naming its setting, file and cause, with no
// secret printed.
TEST(OperationsTest, ValidateNamesEachFileProblemAsFerrydWouldWithoutSecrets) {
  E2eWorld world("validate_files", {});
  const std::string fifo = world.dir() + "/fifo.yaml";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int exit_code = 0;
  std::string printed = world.Ferryctl({"validate", fifo}, &exit_code);
  EXPECT_NE(exit_code, 0) << printed;
  EXPECT_THAT(printed, HasSubstr(fifo + " is a FIFO, not a regular file"));

  ::setenv("FERRY_E2E_CONTROL_TOKEN", "ctl-s3cret-value", 1);
  const std::string not_pem = world.dir() + "/not.pem";
  std::ofstream(not_pem) << "ctl-s3cret-value\n";
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB") +
                    "server:\n"
                    "  control_token: {env: FERRY_E2E_CONTROL_TOKEN}\n"
                    "  tls_cert_file: " + not_pem + "\n"
                    "  tls_key_file: " + not_pem + "\n"
                    "  stage_mtls: true\n"
                    "  stage_tls_cert_file: " + world.dir() + "\n"
                    "  stage_tls_key_file: " + not_pem + "\n"
                    "  stage_tls_ca_file: " + not_pem + "\n");
  printed = world.Ferryctl({"validate", world.config_path()}, &exit_code);
  EXPECT_NE(exit_code, 0) << printed;
  EXPECT_THAT(printed, HasSubstr("server.tls_cert_file: " + not_pem +
                                 " holds no PEM certificate"));
  EXPECT_THAT(printed, HasSubstr("server.stage_tls_cert_file: " + world.dir() +
                                 " is a directory, not a regular file"));
  EXPECT_THAT(printed, Not(HasSubstr("ctl-s3cret-value")));
}

TEST(OperationsTest, ReloadAppliesAChangedMapping) {
  E2eWorld world("reload", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());
  const std::string before = world.TriggerIncident("Before the reload");
  world.SetPriority(before, "P1");
  ASSERT_TRUE(Eventually([&] {
    auto copies = world.IssuesFor(before);
    return copies.size() == 1 && copies.front().priority == "Highest";
  })) << world.Diagnostics();

  // The new mapping sends P1 to High.
  world.WriteConfig(absl::StrReplaceAll(std::string(kIncidentMapping),
                                        {{"{P1: Highest, P2: High, P3: Medium}",
                                          "{P1: High, P2: Medium, P3: Low}"}}) +
                    Integration("PSVCWEB"));
  ASSERT_TRUE(world.Reload());
  const std::string after = world.TriggerIncident("After the reload");
  world.SetPriority(after, "P1");
  EXPECT_TRUE(Eventually([&] {
    auto copies = world.IssuesFor(after);
    return copies.size() == 1 && copies.front().priority == "High";
  })) << world.Diagnostics();
  EXPECT_EQ(world.IssuesFor(before).size(), 1u);
  world.StopFerryd();
}

TEST(OperationsTest, ServiceAddedToARunningIntegrationIsBackfilled) {
  E2eWorld world("backfill", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());
  const std::string web = world.TriggerIncident("Web is slow");
  ASSERT_TRUE(Eventually([&] { return world.IssuesFor(web).size() == 1; }))
      << world.Diagnostics();

  // An incident of a service the integration does not cover yet…
  const std::string db = world.TriggerIncident("Replica lag", "PSVCDB1");
  world.AddNote(db, "Replica 2 is 30 s behind");
  // …is synced once the service is added.
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB, PSVCDB1"));
  ASSERT_TRUE(world.Reload());
  EXPECT_TRUE(Eventually([&] {
    return Differences(world, {{db, {"Replica 2 is 30 s behind"}}, {web, {}}}).empty();
  })) << ::testing::PrintToString(
             Differences(world, {{db, {"Replica 2 is 30 s behind"}}, {web, {}}}))
      << world.Diagnostics();
  world.StopFerryd();
}

TEST(OperationsTest, ObserverTokenReadsButItsWritesFailWithTheRoleMessage) {
  E2eWorld world("observer", {Dialect::kDataCenter, "observer-token"});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Read by an observer");
  std::vector<E2eWorld::JiraIssue> copies;
  ASSERT_TRUE(Eventually([&] {
    copies = world.IssuesFor(incident);
    return copies.size() == 1;
  })) << world.Diagnostics();

  world.CommentIssue(copies.front().key, "Can the observer post this?");
  std::string failures;
  EXPECT_TRUE(Eventually([&] {
    failures = world.Ferryctl({"failures", "list", "pd-jira"});
    return absl::StrContains(failures, "Responder role");
  })) << failures << world.Diagnostics();
  EXPECT_THAT(failures, HasSubstr("PSVCWEB"));
  EXPECT_TRUE(world.Notes(incident).empty());
  world.StopFerryd();
}

TEST(OperationsTest, RateLimitStormLosesNothing) {
  E2eWorld world("storm", {Dialect::kCloud});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());
  // A third of PagerDuty's answers are bare 429s, and so are Ferry's next
  // ten writes on each side; Jira Cloud allows 5 calls a second and then
  // answers 429 with Retry-After. (People act through unlimited channels.)
  world.PdAdmin("POST", "/admin/faults", {{"kind", "status"}, {"status", 429}, {"rate", 0.3}});
  const nlohmann::json writes = {
      {"kind", "status"}, {"status", 429}, {"method", "POST"}, {"count", 10}};
  world.PdAdmin("POST", "/admin/faults", writes);
  world.JiraAdmin("POST", "/admin/faults", writes);
  world.JiraAdmin("PUT", "/admin/rate_limit", {{"limit", 5}, {"window_seconds", 1}});

  std::map<std::string, std::vector<std::string>> notes;
  for (int i = 0; i < 8; ++i) {
    const std::string incident = world.TriggerIncident(absl::StrCat("Storm incident ", i));
    const std::string note = absl::StrCat("Storm note ", i);
    world.AddNote(incident, note);
    notes[incident] = {note};
  }
  ASSERT_TRUE(Eventually([&] { return Differences(world, notes).empty(); },
                         absl::Seconds(120)))
      << ::testing::PrintToString(Differences(world, notes)) << world.Diagnostics();

  // Comments back through the storm.
  for (const auto& [incident, unused] : notes) {
    world.CommentIssue(world.IssuesFor(incident).front().key, "Storm reply " + incident);
  }
  EXPECT_TRUE(RepliesArrive(world, notes, "Storm reply ")) << world.Diagnostics();
  // The storm happened: every counted 429 was served (spent rules go away).
  for (const nlohmann::json& faults :
       {world.PdAdmin("GET", "/admin/faults"), world.JiraAdmin("GET", "/admin/faults")}) {
    for (const auto& rule : faults.value("faults", nlohmann::json::array())) {
      EXPECT_FALSE(rule.contains("count")) << "429s left unserved: " << rule;
    }
  }
  world.PdAdmin("DELETE", "/admin/faults");
  EXPECT_THAT(Differences(world, notes), ::testing::IsEmpty());
  EXPECT_THAT(world.Ferryctl({"failures", "list"}), HasSubstr("0 open failure(s)"));
  world.StopFerryd();
}

TEST(OperationsTest, KillNineMidSyncThenRestartLosesAndDuplicatesNothing) {
  E2eWorld world("kill9", {});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  std::map<std::string, std::vector<std::string>> notes;
  auto add = [&](int i) {
    const std::string incident = world.TriggerIncident(absl::StrCat("Incident ", i));
    const std::string note = absl::StrCat("Note on incident ", i);
    world.AddNote(incident, note);
    notes[incident] = {note};
  };
  for (int i = 0; i < 12; ++i) add(i);
  ASSERT_TRUE(Eventually([&] { return !world.IssuesFor(notes.begin()->first).empty(); }))
      << world.Diagnostics();
  world.KillFerryd();

  for (int i = 12; i < 15; ++i) add(i);  // While ferryd is down.
  ASSERT_TRUE(world.StartFerryd());
  EXPECT_TRUE(Eventually([&] { return Differences(world, notes).empty(); }))
      << ::testing::PrintToString(Differences(world, notes)) << world.Diagnostics();
  world.StopFerryd();
}

}  // namespace
}  // namespace ferry::e2e
