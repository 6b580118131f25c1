#pragma once

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "connectors/jira/jira_options.pb.h"
#include "engine/config/system_options.h"

namespace ferry::jira {

// Which Jira a system is. Cloud speaks REST v3 (ADF rich text, token-paged
// /search/jql, accountIds); Data Center speaks REST v2 (wiki strings, offset
// /search, user names and keys).
enum class Deployment { kCloud, kDataCenter };

// The deployment JiraOptions.deployment names ("cloud", "datacenter" or
// its old name "server", any case); nullopt when empty (detect it). Sets
// `*known` to false for any other text.
std::optional<Deployment> ParseDeployment(absl::string_view text, bool* known);

// The rules of JiraOptions its types cannot say: deployment is one of the
// known names; no transition_fields value is empty. Empty when the options are sound. Pure.
std::vector<config::OptionProblem> CheckJiraOptions(const JiraOptions& options);

// Jira's options for its descriptor: the JiraOptions prototype and
// CheckJiraOptions.
config::SystemOptionsSpec JiraOptionsSpec();

}  // namespace ferry::jira
