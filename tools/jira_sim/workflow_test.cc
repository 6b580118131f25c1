#include "tools/jira_sim/workflow.h"

#include "gtest/gtest.h"
#include "tools/jira_sim/fixture.h"
#include "tools/jira_sim/issue_ops.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<State> state =
        StateFromFixtureFile("tools/jira_sim/testdata/fixture.json");
    ASSERT_TRUE(state.ok()) << state.status();
    state_ = *std::move(state);
    ferry_ = state_.users[0];
    viewer_ = state_.users[2];
  }

  std::vector<std::string> Names(const std::string& key, const User& user) {
    std::vector<std::string> names;
    for (const Transition* t :
         AvailableTransitions(state_, user, *FindIssue(state_, key))) {
      names.push_back(t->name);
    }
    return names;
  }

  using Names_ = std::vector<std::string>;
  State state_;
  User ferry_;
  User viewer_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
};

TEST_F(WorkflowTest, WorkflowPerIssueType) {
  EXPECT_EQ(Names("OPS-1", ferry_),
            (Names_{"Acknowledge", "Start Progress", "Resolve"}));  // Incident
  EXPECT_EQ(Names("OPS-2", ferry_), (Names_{"Start Progress", "Done"}));  // Task
}

TEST_F(WorkflowTest, GlobalTransitionNotOfferedFromItsOwnTarget) {
  ASSERT_TRUE(DoTransition(state_, ferry_, "WEB-1", "21", IssueWrite(), now_).ok());
  EXPECT_EQ(Names("WEB-1", ferry_), (Names_{"Reopen"}));
}

TEST_F(WorkflowTest, NoTransitionPermissionNoTransitions) {
  EXPECT_TRUE(Names("OPS-1", viewer_).empty());
  EXPECT_EQ(DoTransition(state_, viewer_, "OPS-1", "11", IssueWrite(), now_).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(WorkflowTest, StatusCategoryChangeDateMovesOnlyAcrossCategories) {
  Issue& issue = *FindIssue(state_, "OPS-1");
  absl::Time created = issue.status_category_changed;
  ASSERT_TRUE(DoTransition(state_, ferry_, "OPS-1", "11", IssueWrite(), now_).ok());
  EXPECT_EQ(issue.status_category_changed, now_);  // new -> indeterminate
  absl::Time later = now_ + absl::Minutes(1);
  ASSERT_TRUE(DoTransition(state_, ferry_, "OPS-1", "21", IssueWrite(), later).ok());
  EXPECT_EQ(issue.status_category_changed, now_);  // indeterminate -> same
  EXPECT_EQ(issue.updated, later);
  EXPECT_NE(created, now_);
  ASSERT_EQ(issue.changelog.size(), 2u);
  EXPECT_EQ(issue.changelog[1].items[0].from_string, "Acknowledged");
  EXPECT_EQ(issue.changelog[1].items[0].to_string, "In Progress");
}

TEST_F(WorkflowTest, BadCommentLeavesTheIssueUntouched) {
  IssueWrite write;
  write.update = {{"comment", {{{"add", {{"body", ""}}}}}}};
  absl::Status status = DoTransition(state_, ferry_, "OPS-1", "31", write, now_);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FindIssue(state_, "OPS-1")->status_id, "1");
  EXPECT_TRUE(FindIssue(state_, "OPS-1")->changelog.empty());
}

TEST_F(WorkflowTest, PropertiesTravelWithTheTransition) {
  IssueWrite write;
  write.properties = {{{"key", "ferry"}, {"value", {{"synced", true}}}}};
  ASSERT_TRUE(DoTransition(state_, ferry_, "OPS-1", "31", write, now_).ok());
  EXPECT_EQ(FindIssue(state_, "OPS-1")->properties["ferry"]["synced"], true);
}

}  // namespace
}  // namespace ferry::jira_sim
