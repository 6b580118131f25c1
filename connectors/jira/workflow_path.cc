#include "connectors/jira/workflow_path.h"

#include <deque>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ferry::jira {

absl::StatusOr<std::vector<WorkflowTransition>> PlanTransitions(
    const std::string& from, const std::string& to,
    const TransitionsFrom& transitions_from) {
  const std::string goal = absl::AsciiStrToLower(to);
  if (absl::AsciiStrToLower(from) == goal) return std::vector<WorkflowTransition>{};
  // How each reached status was first reached: (previous status, transition).
  std::map<std::string, std::pair<std::string, WorkflowTransition>> reached_by;
  std::set<std::string> seen = {absl::AsciiStrToLower(from)};
  std::vector<std::string> reachable;
  std::vector<std::string> first_step;
  std::deque<std::string> queue = {from};
  while (!queue.empty()) {
    const std::string status = queue.front();
    queue.pop_front();
    auto out = transitions_from(status);
    if (!out.ok()) return out.status();
    for (const WorkflowTransition& transition : *out) {
      if (status == from) {
        first_step.push_back(
            absl::StrCat(transition.name, " -> ", transition.to_status));
      }
      const std::string next = absl::AsciiStrToLower(transition.to_status);
      if (!seen.insert(next).second) continue;
      reached_by[next] = {status, transition};
      reachable.push_back(transition.to_status);
      if (next == goal) {
        std::vector<WorkflowTransition> path;
        for (std::string at = next; at != absl::AsciiStrToLower(from);) {
          const auto& [previous, step] = reached_by[at];
          path.insert(path.begin(), step);
          at = absl::AsciiStrToLower(previous);
        }
        return path;
      }
      queue.push_back(transition.to_status);
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "jira workflow has no transition path from status '", from, "' to '", to,
      "'; transitions from '", from, "': ",
      first_step.empty() ? "none" : absl::StrJoin(first_step, ", "),
      "; reachable statuses: ",
      reachable.empty() ? "none" : absl::StrJoin(reachable, ", "),
      ". Add a transition to '", to,
      "' to the workflow, or map the value to a reachable status"));
}

}  // namespace ferry::jira
