#include "connectors/jira/jira_reader.h"

#include <atomic>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "connectors/jira/jira_fields.h"
#include "connectors/jira/jira_writer.h"
#include "connectors/jira/testing/simulated_jira.h"
#include "engine/connector/connector_context.h"
#include "http/http_observer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using ferry::engine::ChangePage;
using ferry::engine::EntityRef;
using jira_sim::Dialect;
using json = nlohmann::json;
using ::testing::ElementsAre;

class JiraReaderTest : public ::testing::TestWithParam<Dialect> {
 protected:
  JiraReaderTest() : jira_(GetParam()) {}

  // A reader of `project` as `api`'s user, starting at the simulator's
  // current time.
  std::unique_ptr<JiraReader> NewReader(JiraApi& api, const std::string& project,
                                        const std::string& criteria = "",
                                        int page_size = 100) {
    auto myself = api.Get("/myself");
    EXPECT_TRUE(myself.ok()) << myself.status();
    JiraReaderOptions options;
    options.reader.integration = "pd-jira";
    options.reader.project = project;
    options.reader.criteria = criteria;
    options.page_size = page_size;
    options.reader.start.emplace();
    *options.reader.start->mutable_time() = TimestampOf(SimNow());
    options.system = jira_.config().name();
    options.me = UserFromJson(myself.ok() ? *myself : json(), jira_.cloud());
    options.now = [this] { return now_; };
    return std::make_unique<JiraReader>(&api, std::move(options));
  }

  absl::Time SimNow() {
    return jira_.sim().simulator().server().clock().Now();
  }

  // Lets the simulator's clock move on, so later edits get later times.
  void Tick() { jira_.sim().simulator().server().clock().Advance(absl::Seconds(1)); }

  ChangePage Read(JiraReader& reader,
                  const std::optional<ferry::v1::SourcePosition>& after,
                  int max_changes = 100) {
    auto page = reader.ReadChanges(after, max_changes);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? *page : ChangePage();
  }

  std::vector<std::string> Keys(const ChangePage& page) {
    std::vector<std::string> keys;
    for (const auto& change : page.changes) {
      keys.push_back(change.entity().display_key());
    }
    return keys;
  }

  // Keeps issue `key` out of the search index (`held`) or lets it in.
  void HoldIndex(const std::string& key, bool held) {
    ASSERT_EQ(jira_.sim().Put("/admin/jira/issues/" + key + "/index_hold", {{"held", held}}, "")
                  ->status,
              200);
  }

  void AliceEdits(const std::string& key, const std::string& summary) {
    jira_.AsAlice("PUT", "/issue/" + key, {{"fields", {{"summary", summary}}}});
  }

  SimulatedJira jira_;
  // The readers' "now", for when they search the whole overlap again.
  absl::Time now_ = absl::Now();
};

TEST_P(JiraReaderTest, HumanEditsComeWithChangelogAndComments) {
  auto reader = NewReader(jira_.api(), "OPS");
  Tick();
  AliceEdits("OPS-1", "Database down everywhere");
  jira_.AsAlice("POST", "/issue/OPS-1/comment", {{"body", "Failing over now."}});
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_THAT(Keys(page), ElementsAre("OPS-1"));
  const auto& change = page.changes[0];
  EXPECT_EQ(change.integration(), "pd-jira");
  EXPECT_FALSE(change.created());
  EXPECT_EQ(change.entity().system(), jira_.config().name());
  EXPECT_EQ(change.entity().project(), "OPS");
  EXPECT_EQ(change.entity().fields().at("summary").text(), "Database down everywhere");
  EXPECT_EQ(change.entity().fields().at("status").lookup().name(), "Open");
  ASSERT_EQ(change.changes_size(), 1);
  EXPECT_EQ(change.changes(0).field(), "summary");
  EXPECT_EQ(change.changes(0).old_value().text(), "Database down in eu-west");
  EXPECT_EQ(change.changes(0).new_value().text(), "Database down everywhere");
  EXPECT_EQ(change.changes(0).changed_by().email(), "alice@example.com");
  ASSERT_EQ(change.entity().comments_size(), 1);
  EXPECT_EQ(change.entity().comments(0).body(), "Failing over now.");
  EXPECT_EQ(change.entity().comments(0).author().email(), "alice@example.com");
  EXPECT_GT(change.entity().comments(0).created_at().seconds(), 0);
  EXPECT_EQ(TimeOf(change.position().time()),
            TimeOf(change.entity().updated_at()));
  EXPECT_EQ(change.position().tie_breaker(),
            absl::StrCat("000000000000000", change.entity().id()));

  // Nothing new after it.
  ChangePage next = Read(*reader, change.position());
  EXPECT_TRUE(next.changes.empty());
}

TEST_P(JiraReaderTest, CriteriaFilterInTheQuery) {
  auto reader = NewReader(jira_.api(), "OPS", "priority = Highest");
  Tick();
  AliceEdits("OPS-1", "Highest priority issue");
  AliceEdits("OPS-2", "Low priority issue");
  ChangePage page = Read(*reader, std::nullopt);
  EXPECT_THAT(Keys(page), ElementsAre("OPS-1"));
}

TEST_P(JiraReaderTest, FieldChangesAreReplayedInOrder) {
  auto reader = NewReader(jira_.api(), "OPS");
  Tick();
  AliceEdits("OPS-2", "First");
  Tick();
  AliceEdits("OPS-2", "Second");
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_THAT(Keys(page), ElementsAre("OPS-2"));
  ASSERT_EQ(page.changes[0].changes_size(), 2);
  EXPECT_EQ(page.changes[0].changes(0).new_value().text(), "First");
  EXPECT_EQ(page.changes[0].changes(1).new_value().text(), "Second");
}

// Two people edit one issue in quick succession (often within one
// millisecond): the changes come in the order Jira made them, each with its own author, whichever order
// the deployment lists its changelog in (Cloud newest first, Data Center
// oldest first); the issue's last change is the second person's.
TEST_P(JiraReaderTest, ChangelogReplaysAuthorsInTheOrderJiraMadeThem) {
  ASSERT_EQ(jira_.sim()
                .Post("/admin/jira/users",
                      {{"accountId", "bob-1"}, {"name", "bob"}, {"key", "JIRAUSER10009"},
                       {"email", "bob@example.com"}, {"password", "bob-password"}},
                      "")
                ->status,
            201);
  auto reader = NewReader(jira_.api(), "OPS");
  Tick();
  AliceEdits("OPS-2", "Alice's title");
  ASSERT_EQ(jira_.sim()
                .Put("/admin/jira/as/bob-1/rest/api/2/issue/OPS-2",
                     {{"fields", {{"summary", "Bob's title"}, {"labels", {"db"}}}}}, "")
                ->status,
            204);
  AliceEdits("OPS-2", "Alice again");
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_THAT(Keys(page), ElementsAre("OPS-2"));
  const auto& changes = page.changes[0].changes();
  std::vector<std::string> replay;
  for (const auto& change : changes) {
    replay.push_back(absl::StrCat(change.changed_by().email(), " ", change.field(), "=",
                                  change.new_value().text()));
  }
  // Bob's two field changes are one history, its items in Jira's order.
  EXPECT_THAT(replay, ElementsAre("alice@example.com summary=Alice's title",
                                  "bob@example.com labels=db",
                                  "bob@example.com summary=Bob's title",
                                  "alice@example.com summary=Alice again"));
  EXPECT_EQ(page.changes[0].entity().last_changed_by().email(), "alice@example.com");

  JiraWriter writer(&jira_.api(), jira_.config().name());
  auto entity = writer.Get(EntityRef{page.changes[0].entity().id(), "OPS-2", ""});
  ASSERT_TRUE(entity.ok()) << entity.status();
  EXPECT_EQ(entity->last_changed_by().email(), "alice@example.com");
}

// Calls `act` once, after the first search request (a POST) is answered.
class AfterFirstSearch : public http::HttpObserver {
 public:
  explicit AfterFirstSearch(std::function<void()> act) : act_(std::move(act)) {}
  void OnAttempt(const http::HttpAttempt& attempt) override {
    if (attempt.method == http::HttpMethod::kPost && !done_.exchange(true)) act_();
  }

 private:
  const std::function<void()> act_;
  std::atomic<bool> done_{false};
};

// Someone updates an issue while the search's pages are read: it moves to
// the end of `ORDER BY updated`, which shifts the next unread issue into
// the page already read. Paging by offset would lose that issue; none is
// lost, and the updated issue comes once, as its newest version.
TEST_P(JiraReaderTest, AnIssueUpdatedBetweenPagesHidesNoOther) {
  Tick();
  AliceEdits("OPS-1", "one");
  Tick();
  AliceEdits("OPS-2", "two");
  Tick();
  jira_.AsAlice("POST", "/issue",
                {{"fields", {{"project", {{"key", "OPS"}}},
                             {"issuetype", {{"name", "Task"}}},
                             {"summary", "three"}}}});
  AfterFirstSearch edit([&] {
    Tick();
    AliceEdits("OPS-1", "one again");
  });
  ferry::engine::ConnectorContext context;
  context.http_observer = &edit;
  auto api = JiraApi::Create(jira_.config(), jira_.token(), context);
  ASSERT_TRUE(api.ok()) << api.status();
  // The reader starts before the edits above.
  JiraReaderOptions options;
  options.reader.integration = "pd-jira";
  options.reader.project = "OPS";
  options.reader.start.emplace();
  *options.reader.start->mutable_time() = TimestampOf(SimNow() - absl::Seconds(10));
  options.system = jira_.config().name();
  options.me = UserFromJson(*(*api)->Get("/myself"), jira_.cloud());
  options.page_size = 2;
  JiraReader reader(api->get(), std::move(options));

  ChangePage page = Read(reader, std::nullopt);
  ASSERT_THAT(Keys(page), ElementsAre("OPS-2", "OPS-3", "OPS-1"));
  const auto& ops1 = page.changes[2];
  EXPECT_EQ(ops1.entity().fields().at("summary").text(), "one again");
  ASSERT_EQ(ops1.changes_size(), 2);
  EXPECT_EQ(ops1.changes(1).new_value().text(), "one again");
}

// More than the 100 entries a search expands, twice: every one comes, in
// order, and none from before the checkpoint (Cloud pages the changelog
// resource; Data Center reads the whole history from GET /issue).
TEST_P(JiraReaderTest, LongChangelogsAreReadWhole) {
  auto reader = NewReader(jira_.api(), "OPS");
  constexpr int kEdits = 130;
  std::optional<ferry::v1::SourcePosition> after;
  for (int round = 0; round < 2; ++round) {
    Tick();
    for (int i = 0; i < kEdits; ++i) {
      AliceEdits("OPS-2", absl::StrCat("Round ", round, " edit ", i));
    }
    ChangePage page = Read(*reader, after);
    ASSERT_THAT(Keys(page), ElementsAre("OPS-2"));
    const auto& changes = page.changes[0].changes();
    ASSERT_EQ(changes.size(), kEdits);
    for (int i = 0; i < kEdits; ++i) {
      EXPECT_EQ(changes[i].new_value().text(),
                absl::StrCat("Round ", round, " edit ", i));
    }
    after = page.changes[0].position();
  }
}

TEST_P(JiraReaderTest, ChangesMarkedByFerrysHistoryMetadataAreSkipped) {
  auto reader = NewReader(jira_.api(), "OPS");
  Tick();
  // Another account, but the edit carries Ferry's marker.
  jira_.AsAlice("PUT", "/issue/OPS-2",
                {{"fields", {{"summary", "Via another Ferry account"}}},
                 {"historyMetadata", {{"type", "ferry"}}}});
  ChangePage page = Read(*reader, std::nullopt);
  EXPECT_TRUE(page.changes.empty());
  EXPECT_TRUE(page.scanned_to.has_value());
}

TEST_P(JiraReaderTest, TheIntegrationUsersOwnChangesNeverComeBack) {
  auto reader = NewReader(jira_.api(), "OPS");
  JiraWriter writer(&jira_.api(), jira_.config().name());
  Tick();
  ferry::v1::FieldWrite summary;
  summary.set_target_field("summary");
  summary.mutable_value()->set_text("Synced from PagerDuty");
  const EntityRef ops2{"10001", "OPS-2", ""};
  ASSERT_TRUE(writer.Update(ops2, {summary}).ok());
  ferry::v1::CommentWrite note;
  note.set_body("From PagerDuty");
  ASSERT_TRUE(writer.AddComment(ops2, note, "o1").ok());
  ferry::engine::CreateRequest create;
  create.project = "OPS";
  create.type = "Task";
  create.origin = "o2";
  create.fields = {summary};
  ASSERT_TRUE(writer.Create(create).ok());

  ChangePage page = Read(*reader, std::nullopt);
  EXPECT_TRUE(page.changes.empty());
  ASSERT_TRUE(page.scanned_to.has_value());

  Tick();
  jira_.AsAlice("POST", "/issue/OPS-2/comment", {{"body", "Thanks"}});
  page = Read(*reader, page.scanned_to);
  ASSERT_THAT(Keys(page), ElementsAre("OPS-2"));
  EXPECT_EQ(page.changes[0].changes_size(), 0);
  ASSERT_EQ(page.changes[0].entity().comments_size(), 1);
  EXPECT_EQ(page.changes[0].entity().comments(0).body(), "Thanks");
}

TEST_P(JiraReaderTest, IssuesPeopleCreateAreCreations) {
  auto reader = NewReader(jira_.api(), "WEB");
  Tick();
  json created = jira_.AsAlice(
      "POST", "/issue",
      {{"fields", {{"project", {{"key", "WEB"}}},
                   {"issuetype", {{"name", "Task"}}},
                   {"summary", "Cart empties itself"}}}});
  ChangePage page = Read(*reader, std::nullopt);
  ASSERT_EQ(page.changes.size(), 1u);
  EXPECT_TRUE(page.changes[0].created());
  EXPECT_EQ(page.changes[0].entity().id(), created.value("id", ""));
  EXPECT_EQ(page.changes[0].entity().fields().at("summary").text(),
            "Cart empties itself");
}

TEST_P(JiraReaderTest, PagesKeepTheirOrderAndResume) {
  auto reader = NewReader(jira_.api(), "OPS");
  Tick();
  AliceEdits("OPS-2", "Edited first");
  Tick();
  AliceEdits("OPS-1", "Edited second");
  ChangePage first = Read(*reader, std::nullopt, 1);
  ASSERT_THAT(Keys(first), ElementsAre("OPS-2"));
  EXPECT_TRUE(first.more);
  ChangePage second = Read(*reader, first.changes[0].position(), 1);
  ASSERT_THAT(Keys(second), ElementsAre("OPS-1"));
  ChangePage third = Read(*reader, second.changes[0].position(), 1);
  EXPECT_TRUE(third.changes.empty());
}

// An issue the search index takes in late (updated before the checkpoint,
// found only after it moved on) is still reported, once, after the
// checkpoint.
TEST_P(JiraReaderTest, AnIssueIndexedLateIsReportedOnce) {
  auto reader = NewReader(jira_.api(), "OPS");
  ASSERT_NO_FATAL_FAILURE(HoldIndex("OPS-2", true));
  Tick();
  AliceEdits("OPS-2", "Edited first, indexed late");
  Tick();
  AliceEdits("OPS-1", "Edited second");
  ChangePage first = Read(*reader, std::nullopt);
  ASSERT_THAT(Keys(first), ElementsAre("OPS-1"));
  const ferry::v1::SourcePosition checkpoint = first.changes[0].position();

  ASSERT_NO_FATAL_FAILURE(HoldIndex("OPS-2", false));
  Tick();
  ChangePage late = Read(*reader, checkpoint);
  ASSERT_THAT(Keys(late), ElementsAre("OPS-2"));
  const auto& change = late.changes[0];
  ASSERT_EQ(change.changes_size(), 1);
  EXPECT_EQ(change.changes(0).new_value().text(), "Edited first, indexed late");
  // Its position follows the checkpoint, so positions still increase.
  EXPECT_GE(TimeOf(change.position().time()), TimeOf(checkpoint.time()));
  EXPECT_GT(std::make_pair(TimeOf(change.position().time()), change.position().tie_breaker()),
            std::make_pair(TimeOf(checkpoint.time()), checkpoint.tie_breaker()));

  EXPECT_TRUE(Read(*reader, change.position()).changes.empty());
}

// Between searches of the whole overlap a poll looks back only a few
// seconds: an issue the index takes in later than that is found by the
// next search of the whole overlap, once.
TEST_P(JiraReaderTest, AnIssueIndexedLaterThanTheMarginIsFoundByTheNextWholeOverlapSearch) {
  auto reader = NewReader(jira_.api(), "OPS");
  ASSERT_NO_FATAL_FAILURE(HoldIndex("OPS-2", true));
  Tick();
  AliceEdits("OPS-2", "Edited first, indexed late");
  jira_.sim().simulator().server().clock().Advance(absl::Seconds(10));
  AliceEdits("OPS-1", "Edited ten seconds later");
  ChangePage first = Read(*reader, std::nullopt);
  ASSERT_THAT(Keys(first), ElementsAre("OPS-1"));
  const ferry::v1::SourcePosition checkpoint = first.changes[0].position();
  ASSERT_NO_FATAL_FAILURE(HoldIndex("OPS-2", false));
  now_ += absl::Seconds(5);
  EXPECT_TRUE(Read(*reader, checkpoint).changes.empty())
      << "a poll between whole-overlap searches looks back 5 s, not 10";
  now_ += absl::Seconds(30);
  ChangePage late = Read(*reader, checkpoint);
  ASSERT_THAT(Keys(late), ElementsAre("OPS-2"));
  EXPECT_TRUE(Read(*reader, late.changes[0].position()).changes.empty());
}

// The integration user lives in UTC+10 and changes straddle a minute
// boundary: epoch-millisecond JQL loses none of them.
TEST_P(JiraReaderTest, UserInUtcPlus10AndAMinuteBoundary) {
  json user = {{"accountId", "brisbane-1"}, {"name", "brisbane"},
               {"key", "JIRAUSER10100"}, {"email", "brisbane@example.com"},
               {"displayName", "Ferry Brisbane"}, {"timeZone", "Australia/Brisbane"},
               {"password", "brisbane-password"}, {"apiToken", "brisbane-api-token"},
               {"personalAccessTokens", {"brisbane-pat"}}};
  ASSERT_EQ(jira_.sim().Post("/admin/jira/users", user, "")->status, 201);
  ferry::v1::SystemConfig config = jira_.config();
  if (jira_.cloud()) config.set_user_email("brisbane@example.com");
  auto api = JiraApi::Create(config, jira_.cloud() ? "brisbane-api-token"
                                                   : "brisbane-pat");
  ASSERT_TRUE(api.ok()) << api.status();
  auto myself = (*api)->Get("/myself");
  ASSERT_TRUE(myself.ok()) << myself.status();
  EXPECT_EQ((*myself)["timeZone"], "Australia/Brisbane");

  // Just before a minute boundary.
  const absl::Time now = SimNow();
  const absl::Time boundary =
      absl::FromUnixSeconds((absl::ToUnixSeconds(now) / 60 + 1) * 60);
  jira_.sim().simulator().server().clock().Advance(
      boundary - absl::Milliseconds(400) - now);
  auto reader = NewReader(**api, "OPS");
  AliceEdits("OPS-2", "Before the boundary");
  ChangePage first = Read(*reader, std::nullopt);
  ASSERT_THAT(Keys(first), ElementsAre("OPS-2"));
  jira_.sim().simulator().server().clock().Advance(absl::Milliseconds(200));
  AliceEdits("OPS-1", "Same minute, later");
  jira_.sim().simulator().server().clock().Advance(absl::Milliseconds(400));
  AliceEdits("WEB-1", "Other project");
  jira_.AsAlice("PUT", "/issue/OPS-2", {{"fields", {{"summary", "After it"}}}});
  ChangePage second = Read(*reader, first.changes[0].position());
  EXPECT_THAT(Keys(second), ElementsAre("OPS-1", "OPS-2"));
}

INSTANTIATE_TEST_SUITE_P(BothDeployments, JiraReaderTest, BothDialects(), DialectName);

}  // namespace
}  // namespace ferry::jira
