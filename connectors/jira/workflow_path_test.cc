#include "connectors/jira/workflow_path.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using ::testing::HasSubstr;

WorkflowTransition T(std::string id, std::string name, std::string to) {
  WorkflowTransition t;
  t.id = std::move(id);
  t.name = std::move(name);
  t.to_status = std::move(to);
  return t;
}

// The simulator fixture's "incident" workflow.
TransitionsFrom IncidentWorkflow(std::vector<std::string>* asked) {
  return [asked](const std::string& status)
             -> absl::StatusOr<std::vector<WorkflowTransition>> {
    asked->push_back(status);
    static const std::map<std::string, std::vector<WorkflowTransition>> kEdges = {
        {"Open", {T("11", "Acknowledge", "Acknowledged"),
                  T("21", "Start Progress", "In Progress"),
                  T("31", "Resolve", "Done")}},
        {"Acknowledged", {T("21", "Start Progress", "In Progress"),
                          T("31", "Resolve", "Done")}},
        {"In Progress", {T("31", "Resolve", "Done")}},
        {"Done", {T("41", "Reopen", "Open")}},
    };
    auto it = kEdges.find(status);
    if (it == kEdges.end()) return std::vector<WorkflowTransition>{};
    return it->second;
  };
}

TEST(WorkflowPathTest, SameStatusNeedsNoTransition) {
  std::vector<std::string> asked;
  auto path = PlanTransitions("Open", "open", IncidentWorkflow(&asked));
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_TRUE(path->empty());
  EXPECT_TRUE(asked.empty());
}

TEST(WorkflowPathTest, TwoHopsAway) {
  std::vector<std::string> asked;
  auto path = PlanTransitions("Done", "Acknowledged", IncidentWorkflow(&asked));
  ASSERT_TRUE(path.ok()) << path.status();
  ASSERT_EQ(path->size(), 2u);
  EXPECT_EQ((*path)[0].name, "Reopen");
  EXPECT_EQ((*path)[1].name, "Acknowledge");
}

TEST(WorkflowPathTest, ShortestPathWins) {
  std::vector<std::string> asked;
  auto path = PlanTransitions("Acknowledged", "Done", IncidentWorkflow(&asked));
  ASSERT_TRUE(path.ok()) << path.status();
  ASSERT_EQ(path->size(), 1u);
  EXPECT_EQ((*path)[0].id, "31");
  EXPECT_EQ(asked, std::vector<std::string>{"Acknowledged"});
}

TEST(WorkflowPathTest, UnreachableNamesTheMissingTransition) {
  std::vector<std::string> asked;
  auto path = PlanTransitions("Open", "Cancelled", IncidentWorkflow(&asked));
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(path.status().message(), HasSubstr("from status 'Open' to 'Cancelled'"));
  EXPECT_THAT(path.status().message(), HasSubstr("Acknowledge -> Acknowledged"));
  EXPECT_THAT(path.status().message(), HasSubstr("Add a transition to 'Cancelled'"));
}

TEST(WorkflowPathTest, LookupErrorsPassThrough) {
  auto path = PlanTransitions("Open", "Done", [](const std::string&)
      -> absl::StatusOr<std::vector<WorkflowTransition>> {
    return absl::UnavailableError("jira down");
  });
  EXPECT_EQ(path.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ferry::jira
