#include "engine/config/source_map.h"

#include "absl/strings/str_cat.h"

namespace ferry::config {
namespace {

// "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a" -> "".
absl::string_view Parent(absl::string_view path) {
  const size_t cut = path.find_last_of(".[");
  return cut == absl::string_view::npos ? absl::string_view()
                                        : path.substr(0, cut);
}

}  // namespace

void SourceMap::Record(const std::string& path, SourcePosition position) {
  positions_[path] = position;
}

SourcePosition SourceMap::Find(absl::string_view path) const {
  while (true) {
    auto it = positions_.find(path);
    if (it != positions_.end()) return it->second;
    if (path.empty()) return {};
    path = Parent(path);
  }
}

ferry::v1::ConfigProblem MakeProblem(absl::string_view file,
                                     const SourceMap& sources,
                                     absl::string_view path,
                                     absl::string_view message,
                                     absl::string_view fix) {
  const SourcePosition position = sources.Find(path);
  ferry::v1::ConfigProblem problem;
  problem.set_file(std::string(file));
  problem.set_line(position.line);
  problem.set_column(position.column);
  problem.set_field_path(std::string(path));
  problem.set_message(std::string(message));
  problem.set_fix(std::string(fix));
  return problem;
}

std::string FormatProblem(const ferry::v1::ConfigProblem& problem) {
  std::string out = problem.file();
  if (problem.line() > 0) absl::StrAppend(&out, ":", problem.line());
  if (problem.column() > 0) absl::StrAppend(&out, ":", problem.column());
  absl::StrAppend(&out, ": ");
  if (!problem.field_path().empty()) {
    absl::StrAppend(&out, problem.field_path(), ": ");
  }
  absl::StrAppend(&out, problem.message());
  if (!problem.fix().empty()) absl::StrAppend(&out, ". Fix: ", problem.fix());
  return out;
}

}  // namespace ferry::config
