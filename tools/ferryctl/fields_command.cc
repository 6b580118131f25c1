#include "tools/ferryctl/fields_command.h"

#include <cstdio>
#include <memory>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/config/loader.h"
#include "engine/config/secrets.h"
#include "engine/config/source_map.h"
#include "engine/connector/registry.h"
#include "mapping/system_schema.h"
#include "tools/docgen/fields_table.h"

ABSL_FLAG(std::string, config, "ferry.yaml",
          "The config file naming the system, for `ferryctl fields`.");

namespace ferry::ferryctl {

absl::StatusOr<std::string> SystemFields(const ferry::v1::SystemConfig& system,
                                         const std::string& secret) {
  const mapping::SystemSchema* schema = mapping::FindSystemSchema(system.kind());
  if (schema == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "system '", system.name(), "': kind '", system.kind(), "' is not one of ",
        absl::StrJoin(engine::ConnectorRegistry::Kinds(), ", ")));
  }
  auto connector = engine::ConnectorRegistry::Create(system, secret);
  if (!connector.ok()) return connector.status();
  auto site = (*connector)->SiteFields();
  if (!site.ok()) {
    return absl::Status(site.status().code(),
                        absl::StrCat("system '", system.name(),
                                     "': cannot list its fields: ", site.status().message()));
  }
  return absl::StrCat("# Fields of ", system.name(), " (", system.kind(), ", ",
                      system.url(), ")\n\n", docgen::SchemaReference(*schema, *site));
}

absl::StatusOr<std::string> FieldsOfConfiguredSystem(const std::string& config_path,
                                                     const std::string& name) {
  config::ValidationOptions options;
  options.system_kinds = engine::ConnectorRegistry::Kinds();
  options.check_secrets = true;
  const config::LoadedConfig loaded = config::LoadConfigFile(config_path, options);
  if (!loaded.ok()) {
    std::vector<std::string> lines;
    for (const auto& problem : loaded.problems) {
      lines.push_back(config::FormatProblem(problem));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        config_path, " is not valid (ferryctl validate says the same):\n",
        absl::StrJoin(lines, "\n")));
  }
  std::vector<std::string> names;
  for (const ferry::v1::SystemConfig& system : loaded.config.systems()) {
    if (system.name() != name) {
      names.push_back(system.name());
      continue;
    }
    auto secret = config::ResolveSecret(system.token());
    if (!secret.ok()) {
      return absl::Status(secret.status().code(),
                          absl::StrCat("system '", name, "': ", secret.status().message()));
    }
    return SystemFields(system, *secret);
  }
  return absl::NotFoundError(absl::StrCat("no system '", name, "' in ", config_path,
                                          "; its systems are: ", absl::StrJoin(names, ", ")));
}

int RunFieldsCommand(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "ferryctl: fields takes one SYSTEM (and --config=FILE)\n");
    return 2;
  }
  auto printed = FieldsOfConfiguredSystem(absl::GetFlag(FLAGS_config), args[0]);
  if (!printed.ok()) {
    std::fprintf(stderr, "ferryctl: %s\n", std::string(printed.status().message()).c_str());
    return printed.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  std::printf("%s", printed->c_str());
  return 0;
}

}  // namespace ferry::ferryctl
