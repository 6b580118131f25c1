#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "mapping/system_schema.h"

namespace ferry::mapping {

// Which status changes a target can make, for validating status value maps.
// Immutable after construction; thread-safe.
class StatusGraph {
 public:
  // The statuses of `schema`'s status field, where every change between two
  // of them is one direct step, allowed unless listed in
  // `forbidden_transitions` (PagerDuty). Only direct changes count: the
  // writer does not detour through other statuses (for PagerDuty a detour
  // through resolved would resolve the incident). Empty when the schema
  // does not fix its statuses (Jira: the workflow is site configuration).
  static StatusGraph FromSchema(const SystemSchema& schema);

  // A Jira workflow: its initial status and transitions (from, to); a
  // transition with an empty `from` is global (available from every
  // status). The writer may chain transitions, so any status reachable in
  // several steps counts.
  static StatusGraph FromWorkflow(std::string initial,
                                  std::vector<std::pair<std::string, std::string>> transitions);

  // True for a workflow (FromWorkflow), false for a schema's rules.
  bool is_workflow() const { return multi_hop_; }
  // True when the graph knows no statuses (nothing to check against).
  bool empty() const { return statuses_.empty(); }
  bool Knows(absl::string_view status) const;
  // Every status, sorted.
  const std::set<std::string>& statuses() const { return statuses_; }
  // The status a new entity starts in; empty when unknown.
  const std::string& initial() const { return initial_; }
  // Whether an entity in `from` can be moved to `to`; always true when they
  // are equal.
  bool CanMove(absl::string_view from, absl::string_view to) const;
  // Whether one transition leads from `from` to `to`: what a person does in
  // one step, and so what a reader usually sees as one change.
  bool CanStep(absl::string_view from, absl::string_view to) const;

 private:
  std::set<std::string> statuses_;
  std::set<std::pair<std::string, std::string>> edges_;
  std::set<std::pair<std::string, std::string>> forbidden_;
  std::set<std::string> global_targets_;
  std::string initial_;
  bool multi_hop_ = false;
};

}  // namespace ferry::mapping
