// End to end: PagerDuty notes become Jira comments whose text is the note
// alone (Ferry's origin marker is a comment property), and a kill -9 after
// Jira stored such a comment but before Ferry recorded its link neither
// loses nor duplicates it, on Data Center (v2, wiki) and Cloud (v3, ADF).
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_world.h"
#include "tests/e2e/scenarios.h"

namespace ferry::e2e {
namespace {

using Dialect = jira_sim::Dialect;
using ::testing::UnorderedElementsAre;

// The fixture's human Jira user, through whom the test reads issue ids.
constexpr char kAliceAccount[] = "5b10a2844c20165700ede21g";

class CommentMarkerTest : public ::testing::TestWithParam<Dialect> {};

TEST_P(CommentMarkerTest, KillNineBetweenCommentPostAndLinkDuplicatesNothing) {
  const bool cloud = GetParam() == Dialect::kCloud;
  E2eWorld world(cloud ? "marker_cloud" : "marker_dc", {GetParam(), "responder-token"});
  world.WriteConfig(std::string(kIncidentMapping) + Integration("PSVCWEB"));
  ASSERT_TRUE(world.StartFerryd());

  const std::string incident = world.TriggerIncident("Checkout errors");
  ASSERT_TRUE(Eventually([&] { return world.IssuesFor(incident).size() == 1; }))
      << world.Diagnostics();
  const std::string key = world.IssuesFor(incident).front().key;
  const std::string id =
      world.JiraAdmin("GET", absl::StrCat("/admin/jira/as/", kAliceAccount,
                                          "/rest/api/2/issue/", key))
          .value("id", "");
  ASSERT_FALSE(id.empty()) << key;

  // Jira stores the next comment posted to the issue, then the answer is
  // cut off: ferryd's write fails after it landed, its link unrecorded.
  world.JiraAdmin("POST", "/admin/faults",
                  {{"kind", "truncate"},
                   {"method", "POST"},
                   {"path_prefix", absl::StrCat("/rest/api/", cloud ? "3" : "2",
                                                "/issue/", id, "/comment")},
                   {"count", 1}});
  world.AddNote(incident, "Rolled back the deploy.");
  ASSERT_TRUE(Eventually([&] {
    return !world.IssuesFor(incident).front().comments.empty();
  })) << world.Diagnostics();
  world.KillFerryd();

  ASSERT_TRUE(world.StartFerryd());
  world.AddNote(incident, "Error rate back to normal.");
  // Done when the second note is copied and no failed write waits for a
  // retry (the first note's, if ferryd had parked it before the kill).
  ASSERT_TRUE(Eventually([&] {
    return world.IssuesFor(incident).front().comments.size() >= 2 &&
           absl::StrContains(world.Ferryctl({"failures", "list"}), "0 open failure(s)");
  })) << world.Diagnostics();
  // Each note once, with the mapping's attribution and no marker line.
  const std::vector<std::string> comments = world.IssuesFor(incident).front().comments;
  EXPECT_EQ(comments.size(), 2u) << ::testing::PrintToString(comments);
  EXPECT_EQ(CountContaining(comments, "Rolled back the deploy."), 1);
  EXPECT_EQ(CountContaining(comments, "Error rate back to normal."), 1);
  EXPECT_EQ(CountContaining(comments, "ferry"), 0) << ::testing::PrintToString(comments);
  // Nothing echoed back to PagerDuty either.
  EXPECT_THAT(world.Notes(incident), UnorderedElementsAre(
                                         "Rolled back the deploy.",
                                         "Error rate back to normal."));
  world.StopFerryd();
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, CommentMarkerTest,
                         ::testing::Values(Dialect::kDataCenter, Dialect::kCloud),
                         [](const ::testing::TestParamInfo<Dialect>& info) {
                           return std::string(info.param == Dialect::kCloud ? "Cloud"
                                                                            : "DataCenter");
                         });

}  // namespace
}  // namespace ferry::e2e
