#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/runtime/pipeline.h"
#include "tools/pagerduty_sim/testing/sim_fixture.h"

namespace ferry::testing {

// The PagerDuty simulator (pagerduty_sim::SimFixture: seeded, on an
// OS-chosen port, its rate limit lifted) and ferryd's embedded pipeline
// syncing it with another system through every stage: the fixture of
// tests that prove a system kind end to end in-process (tests/seam,
// connectors/servicenow). Its config names the PagerDuty token
// `{env: FERRY_TEST_PD_TOKEN}`, which SetUp sets.
class PagerDutyPipelineTest : public pagerduty_sim::SimFixture {
 protected:
  void SetUp() override;
  // Stops the pipeline before the simulator.
  void TearDown() override;

  // Starts the pipeline on `yaml` with `@PD_PORT@` filled with the
  // simulator's port, `@DIR@` with a fresh directory $TEST_TMPDIR/`name`
  // (whose state/ holds the pipeline's state) and each of `fill`. Fails
  // the test on a config problem or a pipeline error.
  void StartPipeline(const std::string& yaml, const std::string& name,
                     std::vector<std::pair<std::string, std::string>> fill = {});

  // How many notes of PagerDuty incident `incident` contain `text`.
  int NotesContaining(const std::string& incident, const std::string& text);
  // The title of PagerDuty incident `incident`.
  std::string Title(const std::string& incident);

  std::unique_ptr<engine::EmbeddedPipeline> pipeline_;
};

}  // namespace ferry::testing
