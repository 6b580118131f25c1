#include "tools/jira_sim/issue_ops.h"

#include "gtest/gtest.h"
#include "tools/jira_sim/comment_ops.h"
#include "tools/jira_sim/errors.h"
#include "tools/jira_sim/fixture.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

class IssueOpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<State> state =
        StateFromFixtureFile("tools/jira_sim/testdata/fixture.json");
    ASSERT_TRUE(state.ok()) << state.status();
    state_ = *std::move(state);
    ferry_ = state_.users[0];
    alice_ = state_.users[1];
    viewer_ = state_.users[2];
  }

  IssueWrite Create(const std::string& project, const std::string& type) {
    IssueWrite write;
    write.fields = {{"project", {{"key", project}}},
                    {"issuetype", {{"name", type}}},
                    {"summary", "new"}};
    return write;
  }

  json FieldErrorsOf(const absl::Status& status) {
    return ErrorBody(status)["errors"];
  }

  State state_;
  User ferry_, alice_, viewer_;
  absl::Time now_ = absl::FromUnixSeconds(1800000000);
};

TEST_F(IssueOpsTest, CreateNumbersPerProjectAndStartsInTheWorkflowsStatus) {
  absl::StatusOr<int64_t> ops = CreateIssue(state_, ferry_, Create("OPS", "Incident"), now_);
  absl::StatusOr<int64_t> web = CreateIssue(state_, ferry_, Create("web", "10001"), now_);
  ASSERT_TRUE(ops.ok() && web.ok());
  const Issue& a = state_.issues.at(*ops);
  EXPECT_EQ(a.key, "OPS-3");
  EXPECT_EQ(state_.issues.at(*web).key, "WEB-2");
  EXPECT_EQ(a.status_id, "1");
  EXPECT_EQ(a.reporter_id, ferry_.account_id);
  EXPECT_EQ(a.created, now_);
  EXPECT_EQ(a.updated, now_);
  EXPECT_TRUE(a.changelog.empty());
}

TEST_F(IssueOpsTest, FieldValidationCollectsEveryError) {
  IssueWrite write = Create("OPS", "Task");
  write.fields["summary"] = std::string(256, 'x');
  write.fields["priority"] = {{"name", "Urgent"}};
  write.fields["labels"] = {"two words"};
  absl::Status status = CreateIssue(state_, ferry_, write, now_).status();
  json errors = FieldErrorsOf(status);
  EXPECT_EQ(errors["summary"], "Summary must be less than 255 characters.");
  EXPECT_TRUE(errors.contains("priority"));
  EXPECT_EQ(errors["labels"], "The label 'two words' contains spaces which is invalid.");
}

TEST_F(IssueOpsTest, UpdateOperationsOnLabels) {
  IssueWrite write;
  write.update = {{"labels", {{{"add", "db"}}, {{"remove", "sev1"}}, {{"add", "db"}}}}};
  ASSERT_TRUE(EditIssue(state_, ferry_, "OPS-1", write, now_).ok());
  const Issue& issue = *FindIssue(state_, "OPS-1");
  EXPECT_EQ(issue.labels, (std::vector<std::string>{"db"}));
  EXPECT_EQ(issue.changelog.back().items[0].from_string, "sev1");
  EXPECT_EQ(issue.changelog.back().items[0].to_string, "db");
}

TEST_F(IssueOpsTest, FieldInBothFieldsAndUpdateIsRefused) {
  IssueWrite write;
  write.fields = {{"summary", "a"}};
  write.update = {{"summary", {{{"set", "b"}}}}};
  EXPECT_TRUE(FieldErrorsOf(EditIssue(state_, ferry_, "OPS-1", write, now_))
                  .contains("summary"));
  IssueWrite bad_op;
  bad_op.update = {{"summary", {{{"add", "b"}}}}};
  EXPECT_EQ(FieldErrorsOf(EditIssue(state_, ferry_, "OPS-1", bad_op, now_))["summary"],
            "Operation 'add' is not supported for field 'summary'. Use 'set'.");
}

TEST_F(IssueOpsTest, ClearingADescriptionIsAChange) {
  IssueWrite write;
  write.fields = {{"description", nullptr}};
  ASSERT_TRUE(EditIssue(state_, ferry_, "OPS-1", write, now_).ok());
  const Issue& issue = *FindIssue(state_, "OPS-1");
  EXPECT_FALSE(issue.description.has_value());
  EXPECT_TRUE(issue.changelog.back().items[0].to_string.is_null());
}

TEST_F(IssueOpsTest, MoveKeepsOldKeysFindable) {
  ASSERT_TRUE(MoveIssue(state_, "OPS-2", "WEB", now_).ok());
  const Issue* moved = FindIssue(state_, "ops-2");
  ASSERT_NE(moved, nullptr);
  EXPECT_EQ(moved->key, "WEB-2");
  EXPECT_EQ(moved->previous_keys, (std::vector<std::string>{"OPS-2"}));
  EXPECT_EQ(moved->changelog.back().items[0].field_id, "issuekey");
  absl::StatusOr<int64_t> next = CreateIssue(state_, ferry_, Create("OPS", "Task"), now_);
  EXPECT_EQ(state_.issues.at(*next).key, "OPS-3");  // numbers are not reused
}

TEST_F(IssueOpsTest, PropertyValueLimit) {
  absl::StatusOr<bool> created =
      SetProperty(state_, ferry_, "OPS-1", "big", std::string(40000, 'x'));
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SetProperty(state_, viewer_, "OPS-1", "k", 1).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(IssueOpsTest, CommentsBumpUpdatedAndRespectAuthorship) {
  Issue& issue = *FindIssue(state_, "OPS-2");
  absl::StatusOr<int64_t> id = AddComment(state_, alice_, issue, "mine", nullptr, now_);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(issue.updated, now_);
  std::string comment_id = std::to_string(*id);
  EXPECT_EQ(UpdateComment(state_, viewer_, issue, comment_id, "x", nullptr, now_).code(),
            absl::StatusCode::kPermissionDenied);
  absl::Time later = now_ + absl::Seconds(1);
  EXPECT_TRUE(UpdateComment(state_, alice_, issue, comment_id, "edited", nullptr, later).ok());
  EXPECT_EQ(issue.comments.back().updated, later);
  EXPECT_EQ(issue.updated, later);
  EXPECT_TRUE(issue.changelog.empty());  // comments are not history
}

}  // namespace
}  // namespace ferry::jira_sim
