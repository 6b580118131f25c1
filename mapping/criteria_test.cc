#include "mapping/criteria.h"

#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::Entity;

const SystemSchema& PagerDuty() { return pagerduty::PagerDutySchema(); }
const SystemSchema& Jira() { return jira::JiraSchema(); }

Entity Incident(absl::string_view status, absl::string_view key) {
  Entity entity;
  (*entity.mutable_fields())["Status"].mutable_lookup()->set_name(std::string(status));
  (*entity.mutable_fields())["Incident Key"].set_text(std::string(key));
  (*entity.mutable_fields())["Service"] =
      ParseText<ferry::v1::FieldValue>("lookup { id: 'PSVC1' name: 'Checkout' }");
  return entity;
}

TEST(CriteriaTest, PagerDutyStatusesAreAlternatives) {
  absl::StatusOr<CriteriaMatcher> m =
      CriteriaMatcher::Parse("statuses[]=triggered&statuses[]=acknowledged", PagerDuty());
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->terms().size(), 1u);
  EXPECT_EQ(m->terms()[0].field, "Status");
  EXPECT_TRUE(m->Matches(Incident("triggered", "k")));
  EXPECT_TRUE(m->Matches(Incident("acknowledged", "k")));
  EXPECT_FALSE(m->Matches(Incident("resolved", "k")));
}

TEST(CriteriaTest, DifferentParametersMustAllMatchAndValuesAreUrlDecoded) {
  absl::StatusOr<CriteriaMatcher> m = CriteriaMatcher::Parse(
      "statuses[]=triggered&incident_key=db%2Fdisk+full&service_ids[]=PSVC1", PagerDuty());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->Matches(Incident("triggered", "db/disk full")));
  EXPECT_FALSE(m->Matches(Incident("triggered", "other")));
  EXPECT_FALSE(m->Matches(Incident("resolved", "db/disk full")));
}

TEST(CriteriaTest, SimpleFieldFormWithAndAndQuotes) {
  absl::StatusOr<CriteriaMatcher> m =
      CriteriaMatcher::Parse("status = \"In Progress\" AND priority=High", Jira());
  ASSERT_TRUE(m.ok()) << m.status();
  Entity issue;
  (*issue.mutable_fields())["status"].mutable_lookup()->set_name("In Progress");
  (*issue.mutable_fields())["priority"].mutable_lookup()->set_name("High");
  EXPECT_TRUE(m->Matches(issue));
  (*issue.mutable_fields())["priority"].mutable_lookup()->set_name("Low");
  EXPECT_FALSE(m->Matches(issue));
}

TEST(CriteriaTest, RepeatsOfASetParameterAreAlternativesWherever) {
  absl::StatusOr<CriteriaMatcher> m = CriteriaMatcher::Parse(
      "statuses[]=triggered&incident_key=k&statuses[]=acknowledged", PagerDuty());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->terms().size(), 2u);
  EXPECT_TRUE(m->Matches(Incident("acknowledged", "k")));
  EXPECT_FALSE(m->Matches(Incident("resolved", "k")));
}

TEST(CriteriaTest, AFieldTheEntityDoesNotReportFails) {
  absl::StatusOr<CriteriaMatcher> m = CriteriaMatcher::Parse("urgencies[]=high", PagerDuty());
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->Matches(Incident("triggered", "k")));
}

TEST(CriteriaTest, EmptyQueryMatchesEverything) {
  absl::StatusOr<CriteriaMatcher> m = CriteriaMatcher::Parse("  ", PagerDuty());
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->Matches(Entity()));
}

TEST(CriteriaTest, UnknownParameterIsNamed) {
  absl::StatusOr<CriteriaMatcher> m = CriteriaMatcher::Parse("colour=red", PagerDuty());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("\"colour\""), std::string::npos);
  EXPECT_FALSE(CriteriaMatcher::Parse("statuses", PagerDuty()).ok());
}

TEST(CriteriaTest, RicherSyntaxIsLeftToTheEndSystem) {
  for (const char* jql : {"status = Open OR status = Done", "priority in (High, Low)",
                          "summary ~ disk", "status != Done"}) {
    absl::StatusOr<CriteriaMatcher> m = CriteriaMatcher::Parse(jql, Jira());
    ASSERT_FALSE(m.ok()) << jql;
    EXPECT_EQ(m.status().code(), absl::StatusCode::kUnimplemented) << jql;
  }
}

TEST(CriteriaTest, OnceInSyncAlwaysInSyncUnlessStopWhenUnmatched) {
  struct Case {
    bool matches, linked, stop;
    CriteriaDecision want;
  };
  for (const Case& c : {Case{true, false, false, CriteriaDecision::kSync},
                        Case{true, true, true, CriteriaDecision::kSync},
                        Case{false, false, false, CriteriaDecision::kSkipUnmatched},
                        Case{false, false, true, CriteriaDecision::kSkipUnmatched},
                        Case{false, true, false, CriteriaDecision::kKeepSynced},
                        Case{false, true, true, CriteriaDecision::kStopUnmatched}}) {
    EXPECT_EQ(DecideCriteria(c.matches, c.linked, c.stop), c.want)
        << c.matches << c.linked << c.stop;
    EXPECT_FALSE(Explain(c.want).empty());
  }
}

}  // namespace
}  // namespace ferry::mapping
