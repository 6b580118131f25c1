#include "deploy/testing/ferryd_facts.h"

#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/support/fake_world.h"
#include "tests/support/ferryd_process.h"
#include "tests/support/metrics_scrape.h"
#include "tests/support/values.h"

namespace ferry::deploy {
namespace {

std::string FerrydBinary() {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/", std::getenv("TEST_WORKSPACE"),
                      "/engine/ferryd/ferryd");
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, std::string> TypeLines(const std::string& body) {
  static const std::regex kType(R"(^# TYPE (\S+) (\S+)$)");
  std::map<std::string, std::string> families;
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, match, kType)) families[match[1]] = match[2];
  }
  return families;
}

}  // namespace

absl::StatusOr<std::set<std::string>> FerrydFlags() {
  const std::string command = FerrydBinary() + " --helpfull 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return absl::InternalError("cannot run " + command);
  std::string output;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) {
    output.append(buffer, n);
  }
  pclose(pipe);  // --helpfull exits non-zero by design.
  static const std::regex kFlag(R"(^\s+--([A-Za-z0-9_]+) \()");
  std::set<std::string> flags;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, kFlag)) flags.insert(match[1]);
  }
  if (flags.empty()) {
    return absl::InternalError("no flags in the output of " + command + ":\n" + output);
  }
  return flags;
}

absl::StatusOr<std::map<std::string, std::string>> ScrapedMetricFamilies() {
  const auto world = ferry::testing::FakeWorld::Fresh("scrape");
  auto source = world.Source();
  if (!source.ok()) return source.status();
  absl::Status created =
      source->Create("SRC", "Task", {{"Title", ferry::testing::TextValue("t")}},
                     ferry::testing::Person("alice"))
          .status();
  if (!created.ok()) return created;
  // Beside the fake integration (which writes), one reading a PagerDuty
  // that refuses connections, so the API request metrics have series too.
  const std::string config = world.dir + "/ferry.yaml";
  std::ofstream(config) << absl::StrReplaceAll(
      world.ConfigYaml(),
      {{"systems:\n",
        "systems:\n  - {name: pd, kind: pagerduty, url: \"http://127.0.0.1:1\", "
        "token: {env: FERRY_FAKE_TOKEN}, user_email: ferry@example.com}\n"},
       {"mappings:\n",
        "mappings:\n  - {name: pd-tasks, source_type: incident, target_type: Task, "
        "fields: [{source: Title, target: Title}]}\n"},
       {"integrations:\n",
        "integrations:\n  - {name: pd-api, source: {system: pd, projects: [PSVC1]}, "
        "target: {system: dst, projects: [DST]}, mapping: pd-tasks, poll_interval: 1s}\n"}});

  ferry::testing::FerrydProcess ferryd(
      {"--config=" + config, "--state_dir=" + world.dir + "/state",
       "--control_listen=127.0.0.1:0", "--metrics_listen=127.0.0.1:0"},
      world.dir + "/ferryd.log");
  const auto started = ferryd.WaitStarted(absl::Seconds(60));
  if (!started.has_value()) {
    return absl::UnavailableError("ferryd did not start:\n" + ReadFile(ferryd.log()));
  }
  const std::map<std::string, std::string> families =
      TypeLines(ferry::testing::ScrapeUntilContains(
          started->value("metrics_port", 0),
          {"# TYPE ferry_changes_written_total ", "# TYPE ferry_api_requests_total "},
          absl::Seconds(60)));
  ferryd.Stop(SIGTERM);
  if (families.count("ferry_changes_written_total") == 0) {
    return absl::DeadlineExceededError(
        "ferryd's /metrics never showed ferry_changes_written_total:\n" +
        ReadFile(ferryd.log()));
  }
  return families;
}

}  // namespace ferry::deploy
