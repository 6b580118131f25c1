#include "mapping/status_graph.h"

#include <deque>

namespace ferry::mapping {

StatusGraph StatusGraph::FromSchema(const SystemSchema& schema) {
  StatusGraph graph;
  const FieldSpec* status = schema.FindField(schema.status_field);
  if (status == nullptr) return graph;
  graph.statuses_.insert(status->values.begin(), status->values.end());
  graph.forbidden_.insert(schema.forbidden_transitions.begin(), schema.forbidden_transitions.end());
  return graph;
}

StatusGraph StatusGraph::FromWorkflow(std::string initial,
                                      std::vector<std::pair<std::string, std::string>> transitions) {
  StatusGraph graph;
  graph.multi_hop_ = true;
  if (!initial.empty()) graph.statuses_.insert(initial);
  graph.initial_ = std::move(initial);
  for (auto& [from, to] : transitions) {
    graph.statuses_.insert(to);
    if (from.empty()) {
      graph.global_targets_.insert(std::move(to));
    } else {
      graph.statuses_.insert(from);
      graph.edges_.emplace(std::move(from), std::move(to));
    }
  }
  return graph;
}

bool StatusGraph::Knows(absl::string_view status) const {
  return statuses_.count(std::string(status)) > 0;
}

bool StatusGraph::CanStep(absl::string_view from, absl::string_view to) const {
  if (from == to) return true;
  if (!multi_hop_) return CanMove(from, to);
  return global_targets_.count(std::string(to)) > 0 ||
         edges_.count({std::string(from), std::string(to)}) > 0;
}

bool StatusGraph::CanMove(absl::string_view from, absl::string_view to) const {
  if (from == to) return true;
  if (!multi_hop_) {
    return Knows(from) && Knows(to) &&
           forbidden_.count({std::string(from), std::string(to)}) == 0;
  }
  if (global_targets_.count(std::string(to)) > 0) return true;
  std::set<std::string> seen = {std::string(from)};
  std::deque<std::string> queue = {std::string(from)};
  while (!queue.empty()) {
    const std::string at = std::move(queue.front());
    queue.pop_front();
    for (auto it = edges_.lower_bound({at, ""}); it != edges_.end() && it->first == at; ++it) {
      if (it->second == to) return true;
      if (seen.insert(it->second).second) queue.push_back(it->second);
    }
  }
  return false;
}

}  // namespace ferry::mapping
