// Answers of 200 whose JSON has a field of the wrong type: the reader
// returns an error naming the request and the field, every time it is
// asked, and reads on once Jira answers properly again; the writer returns
// one (the engine parks the change as a failure). Before
// http/json_fields.h each of these threw out of nlohmann and ended the
// process.
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "connectors/jira/jira_api.h"
#include "connectors/jira/jira_reader.h"
#include "connectors/jira/jira_writer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "http/testing/local_server.h"
#include "nlohmann/json.hpp"
#include "proto/config.pb.h"

namespace ferry::jira {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

// A Jira Cloud on a local server whose search answer each test sets; a
// comment posted to issue 10000 gets an id that is a number.
class HostileSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Get("/rest/api/2/serverInfo",
                         [](const httplib::Request&, httplib::Response& response) {
                           response.set_content(R"({"deploymentType": "Cloud"})",
                                                "application/json");
                         });
    server_.server().Post("/rest/api/3/search/jql",
                          [this](const httplib::Request&, httplib::Response& response) {
                            absl::MutexLock lock(&mu_);
                            response.set_content(search_, "application/json");
                          });
    server_.server().Post("/rest/api/3/issue/10000/comment",
                          [](const httplib::Request&, httplib::Response& response) {
                            response.set_content(R"({"id": 10001})", "application/json");
                          });
    server_.Start();
    ferry::v1::SystemConfig config;
    config.set_name("jira");
    config.set_kind("jira");
    config.set_url(server_.Url(""));
    config.set_user_email("ferry@example.com");
    auto api = JiraApi::Create(config, "api-token");
    ASSERT_TRUE(api.ok()) << api.status();
    api_ = *std::move(api);
    JiraReaderOptions options;
    options.reader.integration = "jira-to-pd";
    options.reader.project = "OPS";
    options.system = "jira";
    options.me.set_id("ferry-1");
    reader_ = std::make_unique<JiraReader>(api_.get(), std::move(options));
  }

  void Answer(const std::string& search) {
    absl::MutexLock lock(&mu_);
    search_ = search;
  }

  absl::StatusOr<engine::ChangePage> Read() { return reader_->ReadChanges(std::nullopt, 100); }

  http::testing::LocalServer server_;
  absl::Mutex mu_;
  std::string search_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<JiraApi> api_;
  std::unique_ptr<JiraReader> reader_;
};

TEST_F(HostileSearchTest, IssuesNotAList) {
  Answer(R"({"issues": "none", "isLast": true})");
  absl::StatusOr<engine::ChangePage> page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(),
              HasSubstr("POST /rest/api/3/search/jql: field 'issues' is a string, "
                        "expected an array"));
}

TEST_F(HostileSearchTest, IsLastAsAString) {
  Answer(R"({"issues": [], "isLast": "no", "nextPageToken": "t2"})");
  absl::StatusOr<engine::ChangePage> page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(),
              HasSubstr("POST /rest/api/3/search/jql: field 'isLast' is a string, "
                        "expected a boolean"));
}

TEST_F(HostileSearchTest, AnIssueThatIsNotAnObject) {
  Answer(R"({"issues": [7], "isLast": true})");
  absl::StatusOr<engine::ChangePage> page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(),
              HasSubstr("POST /rest/api/3/search/jql: 'issues[0]' is a number"));
}

// The engine asks again a second later: a fault that persists is an error
// each time, and once Jira answers properly the read succeeds.
TEST_F(HostileSearchTest, APersistentBadAnswerFailsEveryReadAndThenReadsOn) {
  Answer(R"({"issues": [], "isLast": "no"})");
  for (int attempt = 0; attempt < 3; ++attempt) {
    absl::StatusOr<engine::ChangePage> page = Read();
    EXPECT_THAT(page.status().message(), HasSubstr("field 'isLast'")) << attempt;
  }
  Answer(R"({"issues": [], "isLast": true})");
  absl::StatusOr<engine::ChangePage> page = Read();
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->changes.empty());
}

// A proxy's HTML page instead of Jira's JSON is retried like every other
// malformed answer (UNAVAILABLE, as on the PagerDuty side), not INTERNAL.
TEST_F(HostileSearchTest, AnAnswerThatIsNotJsonIsRetried) {
  Answer("<html><body>502 Bad Gateway</body></html>");
  absl::StatusOr<engine::ChangePage> page = Read();
  EXPECT_TRUE(absl::IsUnavailable(page.status())) << page.status();
  EXPECT_THAT(page.status().message(), HasSubstr("the answer is not JSON"));
}

TEST_F(HostileSearchTest, PostedCommentWithANumberId) {
  JiraWriter writer(api_.get(), "jira");
  ferry::v1::CommentWrite comment;
  comment.set_body("Rolling back deploy 4711.");
  absl::StatusOr<std::string> id =
      writer.AddComment({"10000", "OPS-1", server_.Url("/browse/OPS-1")}, comment, "o1");
  EXPECT_TRUE(absl::IsUnavailable(id.status())) << id.status();
  EXPECT_THAT(id.status().message(),
              HasSubstr("POST /issue/10000/comment: field 'id' is a number, expected a string"));
}

}  // namespace
}  // namespace ferry::jira
