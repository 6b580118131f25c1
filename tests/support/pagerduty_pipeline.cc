#include "tests/support/pagerduty_pipeline.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/embedded_pipeline.h"

namespace ferry::testing {

void PagerDutyPipelineTest::SetUp() {
  SimFixture::SetUp();
  setenv("FERRY_TEST_PD_TOKEN", "account-full", 1);
  auto limit = client_->Put("/admin/rate_limit", R"({"limit": 100000, "window_seconds": 60})",
                            "application/json");
  ASSERT_TRUE(limit && limit->status == 200);
}

void PagerDutyPipelineTest::TearDown() {
  pipeline_.reset();
  SimFixture::TearDown();
}

void PagerDutyPipelineTest::StartPipeline(
    const std::string& yaml, const std::string& name,
    std::vector<std::pair<std::string, std::string>> fill) {
  const std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/state");
  fill.emplace_back("@PD_PORT@", std::to_string(sim_->port()));
  fill.emplace_back("@DIR@", dir);
  auto pipeline = StartEmbeddedPipeline(absl::StrReplaceAll(yaml, fill), name + ".yaml",
                                        dir + "/state");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  pipeline_ = *std::move(pipeline);
}

int PagerDutyPipelineTest::NotesContaining(const std::string& incident,
                                           const std::string& text) {
  const nlohmann::json notes = pagerduty_sim::Body(Get("/incidents/" + incident + "/notes"));
  int count = 0;
  for (const auto& note : notes["notes"]) {
    count += absl::StrContains(note.value("content", ""), text);
  }
  return count;
}

std::string PagerDutyPipelineTest::Title(const std::string& incident) {
  return pagerduty_sim::Body(Get("/incidents/" + incident))["incident"].value("title", "");
}

}  // namespace ferry::testing
