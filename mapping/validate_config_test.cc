#include "mapping/validate_config.h"

#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ConfigProblem;
using ferry::v1::FerryConfig;

// The systems' descriptors register their schemas in a full build; this
// test links only the light schema libraries, so it registers them.
const bool kSchemasRegistered = [] {
  RegisterSystemSchema(pagerduty::PagerDutySchema());
  RegisterSystemSchema(jira::JiraSchema());
  return true;
}();

std::string Dump(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const ConfigProblem& p : problems) out += p.field_path() + ": " + p.message() + "\n";
  return out;
}

bool Has(const std::vector<ConfigProblem>& problems, absl::string_view path,
         absl::string_view text) {
  for (const ConfigProblem& p : problems) {
    EXPECT_FALSE(p.fix().empty()) << p.field_path();
    if (p.field_path() == path && p.message().find(std::string(text)) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// A PagerDuty ⇄ Jira configuration as a user would write it (in YAML).
FerryConfig Config() {
  return ParseText<FerryConfig>(R"pb(
    systems { name: "pd-prod" kind: "pagerduty" url: "https://api.pagerduty.com" }
    systems { name: "jira-cloud" kind: "jira" url: "https://acme.atlassian.net" }
    mappings {
      name: "incident-to-bug" source_type: "incident" target_type: "Bug"
      fields { source: "Title" target: "summary" direction: DIRECTION_BOTH }
      fields { source: "Description" target: "description" sync_when: SYNC_WHEN_CREATE }
      fields { source: "Status" target: "status" direction: DIRECTION_BOTH
               value_map { values { key: "triggered" value: "Open" }
                           values { key: "acknowledged" value: "In Progress" }
                           values { key: "resolved" value: "Done" } } }
      comments { direction: DIRECTION_BOTH }
      remote_entity { as_comment: true }
    }
    integrations {
      name: "ops" mapping: "incident-to-bug" direction: DIRECTION_BOTH
      source { system: "pd-prod" projects: "PSVC1" }
      target { system: "jira-cloud" projects: "OPS" }
      criteria { query: "statuses[]=triggered&statuses[]=acknowledged" }
      target_lookup { query: "\"PagerDuty Id\" ~ \"@Id@\"" }
    })pb");
}

WorkflowCatalog OpsWorkflow() {
  WorkflowCatalog catalog;
  catalog.Add("jira-cloud", "OPS", "Bug",
              StatusGraph::FromWorkflow("Open", {{"Open", "In Progress"},
                                                 {"In Progress", "Done"},
                                                 {"Done", "Open"},
                                                 {"Open", "Done"}}));
  return catalog;
}

TEST(ValidateConfigTest, ASoundConfigHasNoProblems) {
  const std::vector<ConfigProblem> problems = ValidateConfig(Config(), OpsWorkflow());
  EXPECT_TRUE(problems.empty()) << Dump(problems);
}

TEST(ValidateConfigTest, WithoutTheWorkflowAReopenInJiraIsAssumedPossible) {
  const std::vector<ConfigProblem> problems = ValidateConfig(Config(), WorkflowCatalog());
  EXPECT_TRUE(Has(problems, "mappings[0].fields[2].value_map",
                  "\"In Progress\" → \"Open\" becomes \"acknowledged\" → \"triggered\""))
      << Dump(problems);
}

TEST(ValidateConfigTest, TheWorkflowOfTheIntegrationsProjectIsUsed) {
  WorkflowCatalog catalog;
  catalog.Add("jira-cloud", "OTHER", "Bug", StatusGraph::FromWorkflow("Open", {}));
  EXPECT_EQ(catalog.Find("jira-cloud", "OPS", "Bug"), nullptr);
  ASSERT_NE(catalog.Find("jira-cloud", "OTHER", "Bug"), nullptr);
  // The OTHER project's workflow does not apply to OPS: no "unreachable".
  for (const ConfigProblem& p : ValidateConfig(Config(), catalog)) {
    EXPECT_EQ(p.message().find("initial status"), std::string::npos) << p.message();
  }
}

TEST(ValidateConfigTest, KindWithoutASchema) {
  FerryConfig config = Config();
  config.mutable_systems(1)->set_kind("servicenow");
  const std::vector<ConfigProblem> problems = ValidateConfig(config, WorkflowCatalog());
  EXPECT_TRUE(Has(problems, "systems[1].kind", "\"servicenow\"")) << Dump(problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].fix(), "use one of the registered kinds: jira, pagerduty");
}

TEST(ValidateConfigTest, CommentKindsNeitherSystemHas) {
  FerryConfig config = Config();
  config.mutable_mappings(0)->mutable_comments()->add_kinds("status_update");
  config.mutable_mappings(0)->mutable_comments()->add_kinds("worklog");
  const std::vector<ConfigProblem> problems = ValidateConfig(config, OpsWorkflow());
  EXPECT_TRUE(Has(problems, "mappings[0].comments.kinds[1]", "\"worklog\"")) << Dump(problems);
  for (const ConfigProblem& p : problems) {
    EXPECT_NE(p.field_path(), "mappings[0].comments.kinds[0]") << Dump(problems);
  }
}

TEST(ValidateConfigTest, DanglingReferencesAreLeftToTheLoader) {
  FerryConfig config = Config();
  config.mutable_integrations(0)->mutable_source()->set_system("pd-staging");
  config.mutable_integrations(0)->set_mapping("nope");
  config.mutable_integrations(0)->set_direction(ferry::v1::DIRECTION_REVERSE);
  EXPECT_TRUE(ValidateConfig(config, WorkflowCatalog()).empty());
}

TEST(ValidateConfigTest, PagerDutyCriteriaAndLookupsUseItsFilters) {
  FerryConfig config = Config();
  config.mutable_integrations(0)->mutable_criteria()->set_query("state=open");
  config.mutable_integrations(0)->mutable_target_lookup()->set_query("key = \"@Nummer@\"");
  std::vector<ConfigProblem> problems = ValidateConfig(config, OpsWorkflow());
  EXPECT_TRUE(Has(problems, "integrations[0].criteria.query", "\"state\"")) << Dump(problems);
  EXPECT_TRUE(Has(problems, "integrations[0].target_lookup.query", "@Nummer@"));

  // Jira → PagerDuty: the lookup runs against PagerDuty's filters.
  FerryConfig reverse = Config();
  reverse.mutable_integrations(0)->mutable_source()->set_system("jira-cloud");
  reverse.mutable_integrations(0)->mutable_target()->set_system("pd-prod");
  reverse.mutable_integrations(0)->mutable_criteria()->set_query("project = OPS ORDER BY key");
  reverse.mutable_integrations(0)->mutable_target_lookup()->set_query("incident_ref=@key@");
  problems = ValidateConfig(reverse, WorkflowCatalog());
  EXPECT_TRUE(Has(problems, "integrations[0].target_lookup.query", "\"incident_ref\""))
      << Dump(problems);
  // JQL criteria are Jira's to parse.
  for (const ConfigProblem& p : problems) EXPECT_NE(p.field_path(), "integrations[0].criteria.query");
}

TEST(ValidateConfigTest, AMappingSharedByTwoIntegrationsIsReportedOnce) {
  FerryConfig config = Config();
  config.mutable_mappings(0)->mutable_fields(0)->set_target("Summary");
  *config.add_integrations() = config.integrations(0);
  config.mutable_integrations(1)->set_name("ops-2");
  const std::vector<ConfigProblem> problems = ValidateConfig(config, OpsWorkflow());
  int count = 0;
  for (const ConfigProblem& p : problems) count += p.field_path() == "mappings[0].fields[0].target";
  EXPECT_EQ(count, 1) << Dump(problems);
}

}  // namespace
}  // namespace ferry::mapping
