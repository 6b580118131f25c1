#include "tests/engine/reload_world.h"

#include <fstream>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/support/values.h"

namespace ferry::testing {

ReloadWorld::ReloadWorld(const std::string& name)
    : world(FakeWorld::Fresh(name)),
      path(world.dir + "/ferry.yaml"),
      first(world.ConfigYaml("0.05s")) {
  std::ofstream(path) << first;
  auto source = world.Source();
  auto target = world.Target();
  if (!source.ok() || !target.ok()) {
    ADD_FAILURE() << "cannot open the fake systems in " << world.dir;
    return;
  }
  for (const char* project : {"SRC", "SRC2"}) {
    if (!source->Create(project, "Task", {{"Title", TextValue(project)}}, Person("alice"))
             .ok()) {
      ADD_FAILURE() << "cannot create a task in " << project;
      return;
    }
  }
  src.emplace(*std::move(source));
  dst.emplace(*std::move(target));
}

std::string ReloadWorld::WithTypo() const {
  return absl::StrReplaceAll(first, {{"poll_interval", "pol_interval"}});
}

std::string ReloadWorld::WithSecondIntegration() const {
  return absl::StrReplaceAll(first, {{"integrations:\n", R"(integrations:
  - name: sync2
    source: {system: src, projects: [SRC2]}
    target: {system: dst, projects: [DST2]}
    mapping: tasks
    poll_interval: 0.05s
    start_time: 2000-01-01T00:00:00Z
)"}});
}

}  // namespace ferry::testing
