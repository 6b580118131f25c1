#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/config.pb.h"

namespace ferry::ferryctl {

// `ferryctl fields SYSTEM --config=FILE`: the fields of one configured
// system as Markdown, the same table as its kind's generated reference
// (docs/generated/systems/<kind>.md) plus what only the live system knows
// (Jira custom fields by id and name).
//
// Connects with the system's own settings and token, so it needs the token
// the way ferryd reads it. Fails naming the system when its kind is not
// linked in or the system cannot be reached; the token never appears in a
// message.
absl::StatusOr<std::string> SystemFields(const ferry::v1::SystemConfig& system,
                                         const std::string& secret);

// Loads `config_path` (refusing an invalid config with its problems, one a
// line), finds the system called `name`, reads its token and returns
// SystemFields. NOT_FOUND names the configured systems.
absl::StatusOr<std::string> FieldsOfConfiguredSystem(const std::string& config_path,
                                                     const std::string& name);

// The command itself: `args` are what follows `fields` (one SYSTEM), the
// config comes from --config. Prints the fields to stdout, or the problem
// to stderr; returns the exit code (0 done, 1 failed, 2 wrong usage or
// invalid config).
int RunFieldsCommand(const std::vector<std::string>& args);

}  // namespace ferry::ferryctl
