#include "mapping/status_graph.h"

#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"

namespace ferry::mapping {
namespace {

TEST(StatusGraphTest, PagerDutyRefusesAcknowledgedToTriggeredOnly) {
  const StatusGraph pd = StatusGraph::FromSchema(pagerduty::PagerDutySchema());
  EXPECT_FALSE(pd.is_workflow());
  EXPECT_TRUE(pd.CanMove("triggered", "acknowledged"));
  EXPECT_TRUE(pd.CanMove("acknowledged", "resolved"));
  EXPECT_TRUE(pd.CanMove("resolved", "triggered"));  // reopen
  EXPECT_TRUE(pd.CanMove("acknowledged", "acknowledged"));
  EXPECT_FALSE(pd.CanMove("acknowledged", "triggered"));
  EXPECT_FALSE(pd.CanMove("triggered", "snoozed"));
  EXPECT_FALSE(pd.CanStep("acknowledged", "triggered"));
  EXPECT_TRUE(pd.CanStep("resolved", "acknowledged"));
}

TEST(StatusGraphTest, SchemaWithoutFixedStatusesIsEmpty) {
  EXPECT_TRUE(StatusGraph::FromSchema(jira::JiraSchema()).empty());
}

TEST(StatusGraphTest, WorkflowAllowsChainsAndGlobalTransitions) {
  const StatusGraph wf = StatusGraph::FromWorkflow(
      "Open", {{"Open", "In Progress"}, {"In Progress", "Done"}, {"", "Cancelled"}});
  EXPECT_TRUE(wf.is_workflow());
  EXPECT_EQ(wf.initial(), "Open");
  EXPECT_TRUE(wf.CanMove("Open", "Done"));
  EXPECT_TRUE(wf.CanMove("Done", "Cancelled"));
  EXPECT_FALSE(wf.CanMove("Done", "Open"));
  EXPECT_FALSE(wf.CanMove("Cancelled", "Done"));
  EXPECT_TRUE(wf.CanStep("Open", "In Progress"));
  EXPECT_FALSE(wf.CanStep("Open", "Done"));
  EXPECT_TRUE(wf.CanStep("In Progress", "Cancelled"));
  EXPECT_EQ(wf.statuses(), (std::set<std::string>{"Cancelled", "Done", "In Progress", "Open"}));
}

}  // namespace
}  // namespace ferry::mapping
