#include "engine/config/comment_kinds_alias.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace ferry::config {

using ferry::v1::CommentMapping;

std::vector<ferry::v1::ConfigProblem> ResolveCommentKindsAlias(ferry::v1::FerryConfig* config) {
  std::vector<ferry::v1::ConfigProblem> problems;
  for (int i = 0; i < config->mappings_size(); ++i) {
    CommentMapping* comments = config->mutable_mappings(i)->mutable_comments();
    // The names are PagerDuty's comment kinds, which the enum was about;
    // NOTES, the default, is PagerDuty's plain kind and needs none.
    std::vector<std::string> kinds;
    switch (comments->pagerduty_source()) {
      case CommentMapping::PAGERDUTY_SOURCE_STATUS_UPDATES:
        kinds = {"status_update"};
        break;
      case CommentMapping::PAGERDUTY_SOURCE_NOTES_AND_STATUS_UPDATES:
        kinds = {"note", "status_update"};
        break;
      default:
        break;
    }
    if (kinds.empty()) continue;
    if (comments->kinds_size() > 0) {
      ferry::v1::ConfigProblem problem;
      problem.set_field_path(absl::StrCat("mappings[", i, "].comments.pagerduty_source"));
      problem.set_message("pagerduty_source is the old spelling of comments.kinds, and both are set");
      problem.set_fix("remove pagerduty_source and list every kind under kinds");
      problems.push_back(std::move(problem));
      continue;
    }
    for (std::string& kind : kinds) comments->add_kinds(std::move(kind));
    comments->clear_pagerduty_source();
  }
  return problems;
}

}  // namespace ferry::config
