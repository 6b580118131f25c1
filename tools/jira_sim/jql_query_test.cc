#include "tools/jira_sim/jql_query.h"

#include <map>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"

namespace ferry::jira_sim {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0, int ms = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone()) +
         absl::Milliseconds(ms);
}

// A small catalog: project OPS (10000) and WEB (10001), statuses, priorities.
class FakeCatalog : public JqlCatalog {
 public:
  std::optional<std::string> ProjectId(const std::string& v) const override {
    return Find({{"10000", "10000"}, {"ops", "10000"}, {"operations", "10000"},
                 {"10001", "10001"}, {"web", "10001"}},
                v);
  }
  std::optional<std::string> IssueTypeId(const std::string& v) const override {
    return Find({{"10001", "10001"}, {"bug", "10001"}, {"task", "10002"}}, v);
  }
  std::optional<std::string> StatusId(const std::string& v) const override {
    return Find({{"1", "1"}, {"open", "1"}, {"in progress", "3"},
                 {"done", "10001"}},
                v);
  }
  std::optional<std::string> PriorityId(const std::string& v) const override {
    return Find({{"1", "1"}, {"highest", "1"}, {"high", "2"}, {"low", "4"}}, v);
  }
  std::optional<int64_t> IssueIdForKey(const std::string& key) const override {
    std::string upper = absl::AsciiStrToUpper(key);
    if (upper == "OPS-1" || upper == "OLD-7") return 1;
    if (upper == "OPS-2") return 2;
    if (upper == "WEB-10") return 3;
    return std::nullopt;
  }
  std::optional<JqlCustomField> CustomField(const std::string& w) const override {
    std::string lower = absl::AsciiStrToLower(w);
    if (lower == "cf[10010]" || lower == "pagerduty incident") {
      return JqlCustomField{"customfield_10010", "PagerDuty Incident", false};
    }
    if (lower == "cf[10020]" || lower == "impact score") {
      return JqlCustomField{"customfield_10020", "Impact Score", true};
    }
    return std::nullopt;
  }

 private:
  static std::optional<std::string> Find(
      const std::map<std::string, std::string>& table, const std::string& v) {
    auto it = table.find(absl::AsciiStrToLower(v));
    if (it == table.end()) return std::nullopt;
    return it->second;
  }
};

class JqlQueryTest : public ::testing::Test {
 protected:
  JqlQueryTest() {
    issues_ = {
        {1, "OPS-1", "10000", "10001", "1", "Open", "2", 1,
         "Database down in eu-west", Utc(2024, 4, 30, 23, 0),
         Utc(2024, 5, 1, 0, 15, 0, 0), {}, {}},
        {2, "OPS-2", "10000", "10002", "3", "In Progress", "", 0,
         "Disk full on backup host", Utc(2024, 5, 1, 0, 0),
         Utc(2024, 5, 1, 0, 15, 59, 999), {}, {}},
        {3, "WEB-10", "10001", "10001", "10001", "Done", "4", 3,
         "Checkout page slow", Utc(2024, 5, 1, 1, 0),
         Utc(2024, 5, 1, 0, 16, 0, 0), {}, {}},
    };
    issues_[0].custom_text["customfield_10010"] = "PABC123 eu-west";
    issues_[0].custom_number["customfield_10020"] = 7.5;
    issues_[2].custom_number["customfield_10020"] = 2;
    EXPECT_TRUE(absl::LoadTimeZone("Australia/Sydney", &sydney_));
  }

  // Keys of the matching issues, in the query's order.
  std::vector<std::string> Run(const std::string& jql,
                               absl::TimeZone zone = absl::UTCTimeZone()) {
    auto query = JqlQuery::Compile(jql, catalog_, zone, now_);
    EXPECT_TRUE(query.ok()) << jql << ": " << query.status();
    if (!query.ok()) return {};
    std::vector<const JqlIssueView*> matched;
    for (const auto& issue : issues_) {
      if (query->Matches(issue)) matched.push_back(&issue);
    }
    query->Sort(&matched);
    std::vector<std::string> keys;
    for (const auto* issue : matched) keys.push_back(issue->key);
    return keys;
  }

  std::string Error(const std::string& jql) {
    auto query =
        JqlQuery::Compile(jql, catalog_, absl::UTCTimeZone(), now_);
    EXPECT_FALSE(query.ok()) << jql;
    return query.ok() ? "" : std::string(query.status().message());
  }

  using Keys = std::vector<std::string>;
  FakeCatalog catalog_;
  std::vector<JqlIssueView> issues_;
  absl::TimeZone sydney_;
  absl::Time now_ = Utc(2024, 5, 1, 0, 20);
};

TEST_F(JqlQueryTest, LookupFieldsByKeyIdOrNameAnyCase) {
  EXPECT_EQ(Run("project = ops ORDER BY key"), (Keys{"OPS-1", "OPS-2"}));
  EXPECT_EQ(Run("project = 10001"), (Keys{"WEB-10"}));
  EXPECT_EQ(Run("project = Operations AND status = \"in progress\""),
            (Keys{"OPS-2"}));
  EXPECT_EQ(Run("issuetype = Bug ORDER BY id"), (Keys{"OPS-1", "WEB-10"}));
  EXPECT_EQ(Run("status not in (Open, Done)"), (Keys{"OPS-2"}));
}

TEST_F(JqlQueryTest, EmptyPriorityFollowsJirasNullRules) {
  EXPECT_EQ(Run("priority is EMPTY"), (Keys{"OPS-2"}));
  EXPECT_EQ(Run("priority != High ORDER BY key"), (Keys{"WEB-10"}));
  EXPECT_EQ(Run("priority is not empty ORDER BY id"), (Keys{"OPS-1", "WEB-10"}));
}

TEST_F(JqlQueryTest, KeyMatchesMovedKeysAndIdMatchesNumbers) {
  EXPECT_EQ(Run("key = old-7"), (Keys{"OPS-1"}));
  EXPECT_EQ(Run("key in (OPS-2, WEB-10) ORDER BY key ASC"),
            (Keys{"OPS-2", "WEB-10"}));
  EXPECT_EQ(Run("id = 3"), (Keys{"WEB-10"}));
  EXPECT_EQ(Run("id != 3 ORDER BY id DESC"), (Keys{"OPS-2", "OPS-1"}));
}

TEST_F(JqlQueryTest, SummaryTextSearch) {
  EXPECT_EQ(Run("summary ~ \"DISK full\""), (Keys{"OPS-2"}));
  EXPECT_EQ(Run("summary ~ \"data*\""), (Keys{"OPS-1"}));
  EXPECT_EQ(Run("summary !~ down ORDER BY id"), (Keys{"OPS-2", "WEB-10"}));
  EXPECT_EQ(Run("summary ~ \"dat\""), (Keys{}));
}

TEST_F(JqlQueryTest, CustomTextFieldsByCfIdOrName) {
  EXPECT_EQ(Run("cf[10010] ~ PABC123"), (Keys{"OPS-1"}));
  EXPECT_EQ(Run("\"PagerDuty Incident\" ~ \"pabc*\""), (Keys{"OPS-1"}));
  EXPECT_EQ(Run("cf[10010] is EMPTY ORDER BY id"), (Keys{"OPS-2", "WEB-10"}));
  EXPECT_EQ(Run("cf[10010] !~ PZZZ"), (Keys{"OPS-1"}));  // empties never match
  EXPECT_EQ(Error("cf[10010] = PABC123"),
            "The operator '=' is not supported by the PagerDuty Incident field.");
}

TEST_F(JqlQueryTest, CustomNumberFields) {
  EXPECT_EQ(Run("cf[10020] > 2"), (Keys{"OPS-1"}));
  EXPECT_EQ(Run("\"Impact Score\" in (2, 3)"), (Keys{"WEB-10"}));
  EXPECT_EQ(Run("cf[10020] is not empty ORDER BY cf[10020] DESC"),
            (Keys{"OPS-1", "WEB-10"}));
  EXPECT_EQ(Error("cf[10020] > high"),
            "The value 'high' is not a number for the field 'Impact Score'.");
}

TEST_F(JqlQueryTest, AndOrNotParentheses) {
  EXPECT_EQ(Run("NOT project = OPS OR (status = Open AND priority = High) "
                "ORDER BY id"),
            (Keys{"OPS-1", "WEB-10"}));
  EXPECT_EQ(Run("project = OPS AND NOT (status = Open)"), (Keys{"OPS-2"}));
}

TEST_F(JqlQueryTest, LiteralInSydneyZone) {
  // 10:15 in Sydney (UTC+10) is 00:15 UTC: OPS-1 was updated exactly then.
  EXPECT_EQ(Run("updated >= \"2024-05-01 10:16\" ", sydney_), (Keys{"WEB-10"}));
  EXPECT_EQ(Run("updated >= \"2024-05-01 10:15\" ORDER BY id", sydney_),
            (Keys{"OPS-1", "OPS-2", "WEB-10"}));
  // Read as UTC the same literal would be ten hours later: nothing matches.
  EXPECT_EQ(Run("updated >= \"2024-05-01 10:15\""), (Keys{}));
}

TEST_F(JqlQueryTest, MinuteBoundary) {
  // The literal is the start of its minute: 00:15:00.000 is not > it but
  // 00:15:59.999 is, and = covers the whole minute.
  EXPECT_EQ(Run("updated > \"2024-05-01 00:15\" ORDER BY id"),
            (Keys{"OPS-2", "WEB-10"}));
  EXPECT_EQ(Run("updated <= \"2024-05-01 00:15\""), (Keys{"OPS-1"}));
  EXPECT_EQ(Run("updated < \"2024-05-01 00:16\" ORDER BY id"),
            (Keys{"OPS-1", "OPS-2"}));
  EXPECT_EQ(Run("updated = \"2024-05-01 00:15\" ORDER BY id"),
            (Keys{"OPS-1", "OPS-2"}));
}

TEST_F(JqlQueryTest, EpochMillisecondsAreExact) {
  // 2024-05-01T00:15:59.999Z = 1714522559999.
  EXPECT_EQ(Run("updated >= 1714522559999 ORDER BY id"),
            (Keys{"OPS-2", "WEB-10"}));
  EXPECT_EQ(Run("updated > 1714522559999"), (Keys{"WEB-10"}));
}

TEST_F(JqlQueryTest, RelativeDatesCountFromNow) {
  // now is 00:20 UTC; -5m is 00:15:00.000.
  EXPECT_EQ(Run("updated > -5m ORDER BY id"), (Keys{"OPS-2", "WEB-10"}));
  EXPECT_EQ(Run("created < -1d"), (Keys{}));
}

TEST_F(JqlQueryTest, OrderBy) {
  EXPECT_EQ(Run("ORDER BY updated DESC"), (Keys{"WEB-10", "OPS-2", "OPS-1"}));
  EXPECT_EQ(Run("order by created asc"), (Keys{"OPS-1", "OPS-2", "WEB-10"}));
  EXPECT_EQ(Run("order by priority desc, key"),
            (Keys{"OPS-2", "OPS-1", "WEB-10"}));
  EXPECT_EQ(Run(""), (Keys{"WEB-10", "OPS-2", "OPS-1"}));
}

TEST_F(JqlQueryTest, BoundedOnlyWithACondition) {
  auto bounded = JqlQuery::Compile("project = OPS order by key", catalog_,
                                   absl::UTCTimeZone(), now_);
  auto unbounded = JqlQuery::Compile("order by key", catalog_,
                                     absl::UTCTimeZone(), now_);
  ASSERT_TRUE(bounded.ok() && unbounded.ok());
  EXPECT_TRUE(bounded->bounded());
  EXPECT_FALSE(unbounded->bounded());
}

TEST_F(JqlQueryTest, UnknownFieldsAndValuesAreErrors) {
  EXPECT_EQ(Error("foo = bar"),
            "Field 'foo' does not exist or you do not have permission to "
            "view it.");
  EXPECT_EQ(Error("project = NOPE"),
            "The value 'NOPE' does not exist for the field 'project'.");
  EXPECT_EQ(Error("key = OPS-99"),
            "An issue with key 'OPS-99' does not exist for field 'key'.");
  EXPECT_NE(Error("assignee = bob").find("not supported by the Jira simulator"),
            std::string::npos);
  EXPECT_NE(Error("project = OPS order by foo").find("Field 'foo' does not exist"),
            std::string::npos);
}

TEST_F(JqlQueryTest, OperatorsAFieldDoesNotSupport) {
  EXPECT_EQ(Error("project ~ OPS"),
            "The operator '~' is not supported by the project field.");
  EXPECT_EQ(Error("summary = x"),
            "The operator '=' is not supported by the summary field.");
  EXPECT_EQ(Error("status in Open"),
            "The operator 'in' does not support the non-list value 'Open' "
            "for field 'status'.");
  EXPECT_EQ(Error("status = (Open, Done)"),
            "The operator '=' does not support the list value '(Open, Done)' "
            "for field 'status'.");
  EXPECT_NE(Error("updated > \"last week\"").find("Date value 'last week'"),
            std::string::npos);
}

TEST_F(JqlQueryTest, SyntaxErrorsPassThrough) {
  EXPECT_NE(Error("project = OPS AND").find("Error in the JQL Query"),
            std::string::npos);
}

}  // namespace
}  // namespace ferry::jira_sim
