#include "engine/config/loader.h"

#include <string>

#include "absl/strings/str_cat.h"

#include "engine/config/comment_kinds_alias.h"
#include "engine/config/problem_order.h"
#include "engine/config/secrets.h"
#include "engine/config/yaml_proto.h"

namespace ferry::config {

namespace {

// Adds `problems`, found without positions, at the place each names.
void AddPlaced(std::vector<ferry::v1::ConfigProblem> problems,
               absl::string_view file_name, LoadedConfig* loaded) {
  for (auto& problem : problems) {
    const SourcePosition position = loaded->sources.Find(problem.field_path());
    problem.set_file(std::string(file_name));
    problem.set_line(position.line);
    problem.set_column(position.column);
    loaded->problems.push_back(std::move(problem));
  }
}

}  // namespace

LoadedConfig LoadConfigText(absl::string_view yaml,
                            absl::string_view file_name,
                            const ValidationOptions& options) {
  LoadedConfig loaded;
  if (ReadYamlFields(yaml, file_name, &loaded.config, &loaded.sources,
                     &loaded.problems) == YamlRead::kUnreadable) {
    return loaded;
  }
  // Every pass runs, also over a config whose fields had problems (what
  // they left out is checked as missing, and reported once): a person sees
  // every problem of the file in one run.
  AddPlaced(ResolveCommentKindsAlias(&loaded.config), file_name, &loaded);
  std::vector<ferry::v1::ConfigProblem> schema = std::move(loaded.problems);
  std::vector<ferry::v1::ConfigProblem> structure =
      ValidateConfig(loaded.config, options, file_name, loaded.sources);
  const mapping::WorkflowCatalog no_workflows;
  loaded.problems.clear();
  AddPlaced(mapping::ValidateConfig(
                loaded.config,
                options.workflows != nullptr ? *options.workflows : no_workflows),
            file_name, &loaded);
  loaded.problems = InFileOrder(
      {std::move(schema), std::move(structure), std::move(loaded.problems)});
  return loaded;
}

LoadedConfig LoadConfigFile(const std::string& path,
                            const ValidationOptions& options) {
  // A regular file only (a FIFO would block the read until a writer
  // came), and one byte past the limit at most: enough for
  // LoadConfigText to refuse a huge file without reading all of it.
  auto text = ReadRegularFile(path, kMaxConfigBytes + 1);
  if (!text.ok() || text->empty()) {
    LoadedConfig loaded;
    ferry::v1::ConfigProblem problem;
    problem.set_file(path);
    problem.set_message(text.ok()
                            ? absl::StrCat("the config file ", path, " is empty")
                            : absl::StrCat("cannot read the config file: ",
                                           text.status().message()));
    problem.set_fix("give the path of the YAML config, a regular file that ferryd may read");
    loaded.problems.push_back(std::move(problem));
    return loaded;
  }
  return LoadConfigText(*text, path, options);
}

}  // namespace ferry::config
