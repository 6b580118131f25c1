#include "mapping/validate_mapping.h"

#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ConfigProblem;
using ferry::v1::MappingConfig;

std::string Dump(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const ConfigProblem& p : problems) {
    out += p.field_path() + ": " + p.message() + " [fix: " + p.fix() + "]\n";
  }
  return out;
}

// True when some problem sits at `path` and its message contains `text`;
// every problem must carry a fix.
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

MappingContext PdToJira(ferry::v1::Direction direction) {
  MappingContext context;
  context.source_schema = &pagerduty::PagerDutySchema();
  context.target_schema = &jira::JiraSchema();
  context.direction = direction;
  return context;
}

MappingContext JiraToPd(ferry::v1::Direction direction) {
  MappingContext context = PdToJira(direction);
  std::swap(context.source_schema, context.target_schema);
  return context;
}

std::vector<ConfigProblem> Check(const char* text, const MappingContext& context) {
  return ValidateMapping(ParseText<MappingConfig>(text), context, "mappings[0]");
}

constexpr char kStatusMap[] = R"pb(
  value_map { values { key: "triggered" value: "Open" }
              values { key: "acknowledged" value: "In Progress" }
              values { key: "resolved" value: "Done" } })pb";

TEST(ValidateMappingTest, ASoundMappingHasNoProblems) {
  const std::string text = std::string(R"pb(
    fields { source: "Title" target: "summary" direction: DIRECTION_BOTH }
    fields { source: "Description" target: "description" sync_when: SYNC_WHEN_CREATE }
    fields { source: "Number" target: "customfield_10051" transform { prefix: "PD-" } }
    fields { source: "Priority" target: "priority"
             value_map { values { key: "P1" value: "Highest" } default_value: "Medium" } }
    fields { source: "Assignee" target: "assignee" direction: DIRECTION_BOTH }
    fields { source: "Status" target: "status" )pb") + kStatusMap + R"pb( }
    comments { direction: DIRECTION_BOTH template: "@Author@ (@Time@): @Body@" }
  )pb";
  const std::vector<ConfigProblem> problems =
      Check(text.c_str(), PdToJira(ferry::v1::DIRECTION_BOTH));
  EXPECT_TRUE(problems.empty()) << Dump(problems);
}

TEST(ValidateMappingTest, UnknownFieldsAreNamedWithTheKnownOnes) {
  const auto problems = Check(R"pb(fields { source: "Titel" target: "Summary" })pb",
                              PdToJira(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].source", "\"Titel\" is not a pagerduty field"))
      << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].target", "\"Summary\" is not a jira field"));
  EXPECT_NE(problems[0].fix().find("Title"), std::string::npos);
}

TEST(ValidateMappingTest, WritingReadOnlyFields) {
  const auto problems = Check(R"pb(
    fields { source: "Title" target: "key" }
    fields { source: "Number" target: "customfield_10051" direction: DIRECTION_BOTH }
    fields { source: "Id" target: "customfield_10050" direction: DIRECTION_REVERSE })pb",
                              PdToJira(ferry::v1::DIRECTION_BOTH));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].target", "\"key\" is read-only"))
      << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[1].source", "\"Number\" is read-only"));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[2].source", "\"Id\" is read-only"));
}

TEST(ValidateMappingTest, PagerDutyDescriptionMustBeCreateOnly) {
  const auto problems = Check(R"pb(
    fields { source: "description" target: "Description" sync_when: SYNC_WHEN_ALWAYS }
    fields { source: "labels" target: "Incident Key" sync_when: SYNC_WHEN_UPDATE })pb",
                              JiraToPd(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].sync_when",
                  "\"Description\" can only be written when the entity is created"))
      << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[1].sync_when", "\"Incident Key\""));
  EXPECT_EQ(problems[0].fix(), "set sync_when: CREATE");
}

TEST(ValidateMappingTest, StatusMapIntoPagerDutyThatWouldUnacknowledge) {
  const std::string text = std::string(R"pb(fields { source: "status" target: "Status"
    value_map { values { key: "Open" value: "triggered" }
                values { key: "In Progress" value: "acknowledged" }
                values { key: "Done" value: "resolved" } } })pb");
  const auto problems = Check(text.c_str(), JiraToPd(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map",
                  "\"In Progress\" → \"Open\" becomes \"acknowledged\" → \"triggered\", which "
                  "pagerduty refuses"))
      << Dump(problems);
  EXPECT_EQ(problems.size(), 1u) << Dump(problems);
}

TEST(ValidateMappingTest, StatusMovesThroughTheDefaultAreCheckedToo) {
  // "Open" is not named: it takes the default, triggered, so a Jira move
  // In Progress → Open would un-acknowledge the incident.
  const auto problems = Check(R"pb(fields { source: "status" target: "Status"
    value_map { values { key: "In Progress" value: "acknowledged" }
                values { key: "Done" value: "resolved" }
                default_value: "triggered" } })pb",
                              JiraToPd(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map",
                  "\"In Progress\" → \"(a status the map does not name)\" becomes "
                  "\"acknowledged\" → \"triggered\", which pagerduty refuses"))
      << Dump(problems);
}

TEST(ValidateMappingTest, AJiraWorkflowWithoutReopenClearsTheRefusal) {
  const StatusGraph workflow =
      StatusGraph::FromWorkflow("Open", {{"Open", "In Progress"}, {"In Progress", "Done"}});
  MappingContext context = JiraToPd(ferry::v1::DIRECTION_FORWARD);
  context.source_workflow = &workflow;
  const auto problems = Check(R"pb(fields { source: "status" target: "Status"
    value_map { values { key: "Open" value: "triggered" }
                values { key: "In Progress" value: "acknowledged" }
                values { key: "Done" value: "resolved" } } })pb",
                              context);
  EXPECT_TRUE(problems.empty()) << Dump(problems);
}

TEST(ValidateMappingTest, StatusesTheJiraWorkflowCannotReach) {
  const StatusGraph workflow = StatusGraph::FromWorkflow(
      "Backlog", {{"Open", "In Progress"}, {"In Progress", "Done"}, {"Backlog", "In Progress"}});
  MappingContext context = PdToJira(ferry::v1::DIRECTION_FORWARD);
  context.target_workflow = &workflow;
  const auto problems = Check(R"pb(fields { source: "Status" target: "status"
    value_map { values { key: "triggered" value: "Open" }
                values { key: "acknowledged" value: "In Progress" }
                values { key: "resolved" value: "Done" } } })pb",
                              context);
  // PagerDuty reopens (resolved → triggered), but nothing leads back to Open.
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map",
                  "change \"resolved\" → \"triggered\" becomes \"Done\" → \"Open\", which the "
                  "target's workflow has no path for"))
      << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map",
                  "\"Open\" (mapped from \"triggered\") cannot be reached from the workflow's "
                  "initial status \"Backlog\""));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map",
                  "\"resolved\" → \"acknowledged\" becomes \"Done\" → \"In Progress\""));
  EXPECT_EQ(problems.size(), 3u) << Dump(problems);
}

TEST(ValidateMappingTest, StatusesTheJiraWorkflowDoesNotHave) {
  const StatusGraph workflow = StatusGraph::FromWorkflow("Open", {{"", "Done"}, {"", "Open"}});
  MappingContext context = PdToJira(ferry::v1::DIRECTION_FORWARD);
  context.target_workflow = &workflow;
  const auto problems = Check(R"pb(fields { source: "Status" target: "status"
    value_map { values { key: "triggered" value: "Open" }
                values { key: "acknowledged" value: "Open" }
                values { key: "resolved" value: "Reopened" } } })pb",
                              context);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map",
                  "\"resolved\" maps to \"Reopened\", which is not a jira status value"))
      << Dump(problems);
  EXPECT_EQ(problems.size(), 1u) << Dump(problems);
}

TEST(ValidateMappingTest, LookupValueWithNoMappingAndNoDefault) {
  const auto problems = Check(R"pb(fields { source: "Status" target: "status"
    value_map { values { key: "triggered" value: "Open" } } })pb",
                              PdToJira(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map.values",
                  "value \"acknowledged\" has no mapping"))
      << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map.values",
                  "value \"resolved\" has no mapping"));
  EXPECT_NE(problems[0].fix().find("value_map.default_value"), std::string::npos);
}

TEST(ValidateMappingTest, UnmappedValuesWithoutAValueMapAtAll) {
  // Both sides' priorities are site data: names pass through unchecked.
  const auto problems = Check(R"pb(fields { source: "priority" target: "Priority" })pb",
                              JiraToPd(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(problems.empty()) << Dump(problems);
  const auto urgency = Check(R"pb(fields { source: "priority" target: "Urgency"
    value_map { values { key: "High" value: "urgent" } } })pb",
                             JiraToPd(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(urgency, "mappings[0].fields[0].value_map",
                  "\"High\" maps to \"urgent\", which is not a pagerduty Urgency value"))
      << Dump(urgency);
}

TEST(ValidateMappingTest, FixedTargetValuesNeedAValueMap) {
  const auto problems = Check(R"pb(fields { source: "status" target: "Status" })pb",
                              JiraToPd(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map",
                  "jira status values are site configuration, and pagerduty Status only takes "
                  "\"acknowledged\", \"resolved\", \"triggered\", but there is no value map"))
      << Dump(problems);
}

TEST(ValidateMappingTest, ManyToOneNeedsAReverseEntry) {
  const auto problems = Check(R"pb(fields { source: "Priority" target: "priority"
    direction: DIRECTION_BOTH
    value_map { values { key: "P1" value: "High" } values { key: "P2" value: "High" }
                values { key: "P3" value: "Low" } } })pb",
                              PdToJira(ferry::v1::DIRECTION_BOTH));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map.reverse_values",
                  "\"High\" is mapped from several values (\"P1\", \"P2\")"))
      << Dump(problems);
  EXPECT_EQ(problems.size(), 1u) << Dump(problems);
}

TEST(ValidateMappingTest, ReverseIntoKnownValuesNeedsEveryValue) {
  const auto problems = Check(R"pb(fields { source: "priority" target: "Urgency"
    direction: DIRECTION_BOTH
    value_map { values { key: "Highest" value: "high" } values { key: "High" value: "high" }
                values { key: "Low" value: "low" } } })pb",
                              JiraToPd(ferry::v1::DIRECTION_BOTH));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map.reverse_values",
                  "pagerduty Urgency value \"high\" has no mapping to jira priority (\"High\", "
                  "\"Highest\" all map to it the other way) and there is no "
                  "reverse_default_value"))
      << Dump(problems);
  EXPECT_EQ(problems.size(), 1u) << Dump(problems);
}

TEST(ValidateMappingTest, BothDirectionsMustAgree) {
  const std::string text = std::string(R"pb(fields { source: "Status" target: "status"
    direction: DIRECTION_BOTH
    value_map { values { key: "triggered" value: "Open" }
                values { key: "acknowledged" value: "In Progress" }
                values { key: "resolved" value: "Done" }
                reverse_values { key: "Done" value: "acknowledged" } } }
    fields { source: "Title" target: "summary" direction: DIRECTION_BOTH
             transform { prefix: "[PD] " } })pb");
  const auto problems = Check(text.c_str(), PdToJira(ferry::v1::DIRECTION_BOTH));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].value_map.reverse_values",
                  "\"resolved\" → \"Done\" forward, but \"Done\" → \"acknowledged\" back, which "
                  "maps to \"In Progress\" forward again"))
      << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[1].transform", "each round trip changes"));
}

TEST(ValidateMappingTest, FieldsThatNeverFlow) {
  const auto problems = Check(R"pb(fields { source: "Title" target: "summary"
    direction: DIRECTION_REVERSE }
    comments { direction: DIRECTION_REVERSE })pb",
                              PdToJira(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].direction", "never syncs")) << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].comments.direction", "none sync"));
}

TEST(ValidateMappingTest, TypesTransformsAndTemplates) {
  const auto problems = Check(R"pb(
    fields { source: "Created" target: "assignee" }
    fields { source: "Urgency" target: "priority" transform { suffix: "!" } }
    fields { source: "Title" target: "summary" transform { template: "@Number@ @Titel@" } }
    comments { template: "@Body@ by @Who@" })pb",
                              PdToJira(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0]",
                  "time field \"Created\" cannot be written to user field \"assignee\""))
      << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[1].transform", "transforms apply to text"));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[2].transform.template", "@Titel@"));
  EXPECT_TRUE(Has(problems, "mappings[0].comments.template", "@Who@"));
}

TEST(ValidateMappingTest, TwoFieldsWritingOneTarget) {
  const auto problems = Check(R"pb(
    fields { source: "Title" target: "summary" }
    fields { source: "Description" target: "summary" })pb",
                              PdToJira(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[1].target",
                  "already written by mappings[0].fields[0]"))
      << Dump(problems);
}

TEST(ValidateMappingTest, RemoteEntityFieldsMustBeWritableText) {
  const auto problems = Check(R"pb(remote_entity { id_field: "Number" url_field: "Nope" })pb",
                              PdToJira(ferry::v1::DIRECTION_FORWARD));
  EXPECT_TRUE(Has(problems, "mappings[0].remote_entity.id_field", "cannot take")) << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].remote_entity.url_field", "\"Nope\""));
}

TEST(ValidateMappingTest, ReportsEveryProblemAtOnce) {
  const auto problems = Check(R"pb(
    fields { source: "Titel" target: "summary" }
    fields { source: "Title" target: "key" }
    fields { source: "Description" target: "description" }
    fields { source: "Status" target: "status" value_map { values { key: "triggered" value: "Open" } } })pb",
                              PdToJira(ferry::v1::DIRECTION_FORWARD));
  EXPECT_GE(problems.size(), 4u) << Dump(problems);
  EXPECT_TRUE(Has(problems, "mappings[0].fields[0].source", "Titel"));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[1].target", "read-only"));
  EXPECT_TRUE(Has(problems, "mappings[0].fields[3].value_map.values", "acknowledged"));
}

}  // namespace
}  // namespace ferry::mapping
