// Fuzzes the config loader on a YAML file's bytes: the bounded YAML read
// into the config proto, then (when that succeeds) the structure and
// mapping checks, with both connectors' schemas registered.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "engine/config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ferry::config::ValidationOptions options;
  options.system_kinds = {"jira", "pagerduty"};
  ferry::config::LoadConfigText(absl::string_view(reinterpret_cast<const char*>(data), size),
                                "ferry.yaml", options);
  return 0;
}
