#include "engine/runtime/system_checks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "spdlog/spdlog.h"

namespace ferry::engine {

std::vector<std::string> ProjectsOf(
    const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans,
    absl::string_view system) {
  std::vector<std::string> projects;
  for (const auto& [name, plan] : plans) {
    for (const auto* endpoint : {&plan->config.source(), &plan->config.target()}) {
      if (endpoint->system() != system) continue;
      for (const auto& project : endpoint->projects()) {
        if (std::find(projects.begin(), projects.end(), project) == projects.end()) {
          projects.push_back(project);
        }
      }
    }
  }
  return projects;
}

std::vector<CheckLine> CheckSystems(
    const std::map<std::string, std::unique_ptr<Connector>>& connectors,
    const std::map<std::string, std::shared_ptr<const IntegrationPlan>>& plans) {
  std::vector<CheckLine> lines;
  for (const auto& [system, connector] : connectors) {
    const std::string prefix = absl::StrCat("system '", system, "': ");
    auto add = [&](CheckLine::Level level, absl::string_view text) {
      lines.push_back({level, absl::StrCat(prefix, text)});
    };
    auto checked = connector->CheckSystem(ProjectsOf(plans, system));
    if (!checked.ok()) {
      add(CheckLine::Level::kWarning,
          absl::StrCat("could not be checked (", checked.status().message(),
                       "); run `ferryctl check ", system, "` once it is reachable"));
      continue;
    }
    add(CheckLine::Level::kInfo,
        absl::StrCat("check ", checked->ok() ? "ok" : "found problems", "; integration user ",
                     checked->user().email().empty() ? checked->user().id()
                                                     : checked->user().email(),
                     checked->role().empty() ? "" : absl::StrCat(" (", checked->role(), ")")));
    for (const auto& line : checked->capabilities()) add(CheckLine::Level::kInfo, line);
    for (const auto& line : checked->warnings()) add(CheckLine::Level::kWarning, line);
    for (const auto& line : checked->problems()) add(CheckLine::Level::kError, line);
  }
  for (const CheckLine& line : lines) {
    switch (line.level) {
      case CheckLine::Level::kInfo: spdlog::info("{}", line.text); break;
      case CheckLine::Level::kWarning: spdlog::warn("{}", line.text); break;
      case CheckLine::Level::kError: spdlog::error("{}", line.text); break;
    }
  }
  return lines;
}

}  // namespace ferry::engine
