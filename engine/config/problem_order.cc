#include "engine/config/problem_order.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace ferry::config {
namespace {

// Whether `inner` is `outer` or one of its fields or items.
bool Within(absl::string_view inner, absl::string_view outer) {
  if (!absl::StartsWith(inner, outer)) return false;
  if (inner.size() == outer.size()) return true;
  const char next = inner[outer.size()];
  return next == '.' || next == '[';
}

// Whether two paths name the same value or one holds the other; a problem
// with no path (about the whole file) relates to nothing.
bool Related(absl::string_view a, absl::string_view b) {
  return !a.empty() && !b.empty() && (Within(a, b) || Within(b, a));
}

}  // namespace

std::vector<ferry::v1::ConfigProblem> InFileOrder(
    std::vector<std::vector<ferry::v1::ConfigProblem>> passes) {
  std::vector<ferry::v1::ConfigProblem> joined;
  for (auto& pass : passes) {
    const size_t earlier = joined.size();
    for (auto& problem : pass) {
      const bool seen = std::any_of(
          joined.begin(), joined.begin() + static_cast<std::ptrdiff_t>(earlier),
          [&](const ferry::v1::ConfigProblem& before) {
            return Related(problem.field_path(), before.field_path());
          });
      if (!seen) joined.push_back(std::move(problem));
    }
  }
  std::stable_sort(joined.begin(), joined.end(),
                   [](const ferry::v1::ConfigProblem& a,
                      const ferry::v1::ConfigProblem& b) {
                     // Line 0 (no place) sorts after every line.
                     const auto place = [](const ferry::v1::ConfigProblem& p) {
                       return std::make_pair(
                           p.line() == 0 ? INT32_MAX : p.line(), p.column());
                     };
                     return place(a) < place(b);
                   });
  return joined;
}

}  // namespace ferry::config
