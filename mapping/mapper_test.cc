#include "mapping/mapper.h"

#include "connectors/jira/jira_schema.h"
#include "connectors/pagerduty/pd_schema.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ChangeEvent;
using ferry::v1::MappingConfig;
using ferry::v1::WriteIntent;

MapperOptions Options(Flow flow) {
  MapperOptions options;
  options.flow = flow;
  const bool forward = flow == Flow::kForward;
  options.from_schema = forward ? &pagerduty::PagerDutySchema() : &jira::JiraSchema();
  options.to_schema = forward ? &jira::JiraSchema() : &pagerduty::PagerDutySchema();
  options.target_system = forward ? "jira-cloud" : "pd-prod";
  options.target_project = forward ? "OPS" : "PSVC1";
  options.target_type = forward ? "Bug" : "incident";
  return options;
}

const MappingConfig& Config() {
  static const MappingConfig config = ParseText<MappingConfig>(R"pb(
    name: "pd-jira"
    fields { source: "Title" target: "summary" direction: DIRECTION_BOTH
             transform { template: "[#@Number@] @Title@" } }
    fields { source: "Description" target: "description" sync_when: SYNC_WHEN_CREATE }
    fields { source: "Status" target: "status" direction: DIRECTION_BOTH
             value_map { values { key: "triggered" value: "Open" }
                         values { key: "acknowledged" value: "In Progress" }
                         values { key: "resolved" value: "Done" } } }
    fields { source: "Priority" target: "priority"
             value_map { values { key: "P1" value: "Highest" } default_value: "Medium" } }
    fields { source: "Urgency" target: "labels" transform { prefix: "urgency-" } }
    fields { source: "Assignee" target: "assignee" direction: DIRECTION_BOTH }
    fields { source: "Number" target: "customfield_10051" }
    comments { direction: DIRECTION_BOTH }
  )pb");
  return config;
}

ChangeEvent Triggered() {
  return ParseText<ChangeEvent>(R"pb(
    change_id: "pd-log-R1" integration: "ops"
    entity {
      system: "pd-prod" project: "PSVC1" type: "incident" id: "Q1ABCDEF" display_key: "#1042"
      fields { key: "Title" value { text: "Disk full on db-7" } }
      fields { key: "Number" value { number: 1042 } }
      fields { key: "Description" value { text: "/var at 99%" } }
      fields { key: "Status" value { lookup { name: "triggered" } } }
      fields { key: "Priority" value { lookup { id: "PPRI1" name: "P1" } } }
      fields { key: "Urgency" value { lookup { name: "high" } } }
      fields { key: "Assignee" value { user { id: "PUSR1" name: "Ann Lee" email: "ann@example.com" } } }
      comments { id: "NOTE1" kind: "note" author { name: "Ann Lee" }
                 created_at { seconds: 1795966242 } body: "Looking" format: TEXT_FORMAT_MARKDOWN }
      comments { id: "SU1" kind: "status_update" author { name: "Bob" }
                 created_at { seconds: 1795966300 } body: "Customers affected" }
    }
    created: true
  )pb");
}

const ferry::v1::FieldWrite* FindWrite(const WriteIntent& intent, absl::string_view target) {
  for (const auto& write : intent.fields()) {
    if (write.target_field() == target) return &write;
  }
  return nullptr;
}

TEST(MapperTest, MapsEveryReportedFieldInMappingOrder) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  absl::StatusOr<WriteIntent> intent = mapper->Map(Triggered());
  ASSERT_TRUE(intent.ok()) << intent.status();
  EXPECT_EQ(intent->target_system(), "jira-cloud");
  EXPECT_EQ(intent->target_project(), "OPS");
  EXPECT_EQ(intent->target_type(), "Bug");
  EXPECT_EQ(intent->change().change_id(), "pd-log-R1");
  ASSERT_EQ(intent->fields_size(), 7);
  EXPECT_EQ(intent->fields(0).target_field(), "summary");
  EXPECT_EQ(intent->fields(0).source_field(), "Title");
  EXPECT_EQ(intent->fields(0).value().text(), "[#1042] Disk full on db-7");
  EXPECT_EQ(FindWrite(*intent, "status")->value().lookup().name(), "Open");
  EXPECT_EQ(FindWrite(*intent, "priority")->value().lookup().name(), "Highest");
  EXPECT_EQ(FindWrite(*intent, "priority")->value().lookup().id(), "");
  EXPECT_EQ(FindWrite(*intent, "labels")->value().text(), "urgency-high");
  EXPECT_EQ(FindWrite(*intent, "assignee")->value().user().email(), "ann@example.com");
  EXPECT_EQ(FindWrite(*intent, "assignee")->value().user().id(), "");
  EXPECT_EQ(FindWrite(*intent, "customfield_10051")->value().number(), 1042);
  EXPECT_TRUE(intent->matches_criteria());
  EXPECT_EQ(intent->target_lookup_query(), "");
}

TEST(MapperTest, FieldsReadNamesEverySourceOfEachFlow) {
  MappingConfig config = ParseText<MappingConfig>(R"pb(
    name: "pd-jira"
    fields { source: "Title" target: "summary" direction: DIRECTION_BOTH
             transform { template: "[#@Number@] @Title@ (@Urgency@)" } }
    fields { source: "Status" target: "status" direction: DIRECTION_BOTH }
    comments { direction: DIRECTION_BOTH template: "@Body@ on @Service@" }
  )pb");
  MapperOptions forward = Options(Flow::kForward);
  forward.criteria = "statuses[]=triggered";
  forward.target_lookup = "key = @Incident Key@";
  absl::StatusOr<Mapper> mapper = Mapper::Create(config, forward);
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  EXPECT_EQ(mapper->FieldsRead(),
            (std::set<std::string>{"Body", "Incident Key", "Number", "Service", "Status",
                                   "Title", "Urgency"}));
  // The reverse flow reads the target's fields; transforms are forward only.
  absl::StatusOr<Mapper> reverse = Mapper::Create(config, Options(Flow::kReverse));
  ASSERT_TRUE(reverse.ok()) << reverse.status();
  EXPECT_EQ(reverse->FieldsRead(), (std::set<std::string>{"Body", "Service", "status", "summary"}));
}

// A linked entity's change creates nothing: the fields mapped only on
// create and the target lookup's are not read from it.
TEST(MapperTest, FieldsReadWhenLinkedLeaveOutWhatOnlyACreateReads) {
  MappingConfig config = ParseText<MappingConfig>(R"pb(
    name: "pd-jira"
    fields { source: "Title" target: "summary" direction: DIRECTION_BOTH }
    fields { source: "Description" target: "description" sync_when: SYNC_WHEN_CREATE }
    fields { source: "Urgency" target: "labels" sync_when: SYNC_WHEN_UPDATE }
  )pb");
  MapperOptions forward = Options(Flow::kForward);
  forward.criteria = "urgencies[]=high";
  forward.target_lookup = "key = @Incident Key@";
  absl::StatusOr<Mapper> mapper = Mapper::Create(config, forward);
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  // Author, Body and Time: the default comment template's.
  EXPECT_EQ(mapper->FieldsRead(), (std::set<std::string>{"Author", "Body", "Description",
                                                         "Incident Key", "Time", "Title",
                                                         "Urgency"}));
  EXPECT_EQ(mapper->FieldsReadWhenLinked(),
            (std::set<std::string>{"Author", "Body", "Time", "Title", "Urgency"}));
}

TEST(MapperTest, TagsEachWriteWithSyncWhen) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  absl::StatusOr<WriteIntent> intent = mapper->Map(Triggered());
  ASSERT_TRUE(intent.ok());
  EXPECT_EQ(FindWrite(*intent, "description")->sync_when(), ferry::v1::SYNC_WHEN_CREATE);
  EXPECT_EQ(FindWrite(*intent, "summary")->sync_when(), ferry::v1::SYNC_WHEN_ALWAYS);
}

TEST(MapperTest, CreateOnlyTargetsAreAlwaysTaggedCreate) {
  MappingConfig config = ParseText<MappingConfig>(R"pb(
    fields { source: "Description" target: "description" direction: DIRECTION_REVERSE })pb");
  absl::StatusOr<Mapper> mapper = Mapper::Create(config, Options(Flow::kReverse));
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  ASSERT_EQ(mapper->fields().size(), 1u);
  EXPECT_EQ(mapper->fields()[0].sync_when, ferry::v1::SYNC_WHEN_CREATE);
}

TEST(MapperTest, DefaultValueAndUnmappedValue) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  ChangeEvent change = Triggered();
  (*change.mutable_entity()->mutable_fields())["Priority"].mutable_lookup()->set_name("P4");
  EXPECT_EQ(FindWrite(*mapper->Map(change), "priority")->value().lookup().name(), "Medium");

  (*change.mutable_entity()->mutable_fields())["Status"].mutable_lookup()->set_name("snoozed");
  absl::StatusOr<WriteIntent> failed = mapper->Map(change);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("\"snoozed\""), std::string::npos);
  EXPECT_NE(failed.status().message().find("pd-log-R1"), std::string::npos);
  EXPECT_NE(failed.status().message().find("Q1ABCDEF"), std::string::npos);
}

TEST(MapperTest, EmptySourceClearsAndAbsentSourceIsNotWritten) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  ChangeEvent change = Triggered();
  (*change.mutable_entity()->mutable_fields())["Assignee"].Clear();
  change.mutable_entity()->mutable_fields()->erase("Urgency");
  absl::StatusOr<WriteIntent> intent = mapper->Map(change);
  ASSERT_TRUE(intent.ok());
  ASSERT_NE(FindWrite(*intent, "assignee"), nullptr);
  EXPECT_FALSE(FindWrite(*intent, "assignee")->has_value());
  EXPECT_EQ(FindWrite(*intent, "labels"), nullptr);
}

TEST(MapperTest, TruncatesToTheTargetLimitAndTheTransformLimit) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  ChangeEvent change = Triggered();
  (*change.mutable_entity()->mutable_fields())["Title"].set_text(std::string(400, 'x'));
  EXPECT_EQ(FindWrite(*mapper->Map(change), "summary")->value().text().size(), 255u);

  MappingConfig config = ParseText<MappingConfig>(R"pb(
    fields { source: "Title" target: "summary" transform { suffix: "!" truncate: 5 } })pb");
  absl::StatusOr<Mapper> short_mapper = Mapper::Create(config, Options(Flow::kForward));
  ASSERT_TRUE(short_mapper.ok());
  EXPECT_EQ(FindWrite(*short_mapper->Map(Triggered()), "summary")->value().text(), "Disk ");
}

TEST(MapperTest, ReverseFlowUsesDerivedReverseMapAndNoTransforms) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kReverse));
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  ASSERT_EQ(mapper->fields().size(), 3u);  // Title, Status, Assignee flow BOTH
  ChangeEvent change = ParseText<ChangeEvent>(R"pb(
    change_id: "jira-10002-5"
    entity {
      system: "jira-cloud" project: "OPS" type: "Bug" id: "10002" display_key: "OPS-12"
      fields { key: "summary" value { text: "Disk full" } }
      fields { key: "status" value { lookup { id: "3" name: "In Progress" } } }
      fields { key: "assignee" value { user { id: "5b10ac" email: "bob@example.com" } } }
      fields { key: "priority" value { lookup { name: "Highest" } } }
      comments { id: "10100" kind: "comment" author { name: "Bob" } body: "On it" }
    })pb");
  absl::StatusOr<WriteIntent> intent = mapper->Map(change);
  ASSERT_TRUE(intent.ok()) << intent.status();
  EXPECT_EQ(intent->target_system(), "pd-prod");
  EXPECT_EQ(FindWrite(*intent, "Title")->value().text(), "Disk full");
  EXPECT_EQ(FindWrite(*intent, "Status")->value().lookup().name(), "acknowledged");
  EXPECT_EQ(FindWrite(*intent, "Assignee")->value().user().email(), "bob@example.com");
  EXPECT_EQ(FindWrite(*intent, "Priority"), nullptr);  // FORWARD only
  ASSERT_EQ(intent->comments_size(), 1);
  EXPECT_EQ(intent->comments(0).kind(), "note");
}

TEST(MapperTest, CommentsUseTheDefaultTemplateAndNotesOnly) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  absl::StatusOr<WriteIntent> intent = mapper->Map(Triggered());
  ASSERT_TRUE(intent.ok());
  ASSERT_EQ(intent->comments_size(), 1);
  EXPECT_EQ(intent->comments(0).source_comment_id(), "NOTE1");
  EXPECT_EQ(intent->comments(0).kind(), "comment");
  EXPECT_EQ(intent->comments(0).format(), ferry::v1::TEXT_FORMAT_MARKDOWN);
  EXPECT_EQ(intent->comments(0).body(), "Looking\n\n— Ann Lee, 2026-11-29T15:30:42Z");
}

TEST(MapperTest, StatusUpdatesWhenTheMappingSaysSo) {
  MappingConfig config = Config();
  config.mutable_comments()->add_kinds("note");
  config.mutable_comments()->add_kinds("status_update");
  config.mutable_comments()->set_template_("@Author@ wrote: @Body@");
  absl::StatusOr<Mapper> mapper = Mapper::Create(config, Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  absl::StatusOr<WriteIntent> intent = mapper->Map(Triggered());
  ASSERT_TRUE(intent.ok());
  ASSERT_EQ(intent->comments_size(), 2);
  EXPECT_EQ(intent->comments(1).source_comment_id(), "SU1");
  EXPECT_EQ(intent->comments(1).body(), "Bob wrote: Customers affected");
}

TEST(MapperTest, CommentsIntoPagerDutyBecomeStatusUpdatesWhenConfigured) {
  MappingConfig config = Config();
  config.mutable_comments()->add_kinds("status_update");
  absl::StatusOr<Mapper> mapper = Mapper::Create(config, Options(Flow::kReverse));
  ASSERT_TRUE(mapper.ok());
  ChangeEvent change = ParseText<ChangeEvent>(R"pb(
    entity { comments { id: "10100" kind: "comment" body: "Fixed" } })pb");
  absl::StatusOr<WriteIntent> intent = mapper->Map(change);
  ASSERT_TRUE(intent.ok());
  ASSERT_EQ(intent->comments_size(), 1);
  EXPECT_EQ(intent->comments(0).kind(), "status_update");
}

TEST(MapperTest, NoCommentsWhenDisabledOrOtherDirectionOrWithoutId) {
  MappingConfig config = Config();
  config.mutable_comments()->set_disabled(true);
  EXPECT_EQ(Mapper::Create(config, Options(Flow::kForward))->Map(Triggered())->comments_size(), 0);

  config.mutable_comments()->set_disabled(false);
  config.mutable_comments()->set_direction(ferry::v1::DIRECTION_REVERSE);
  EXPECT_EQ(Mapper::Create(config, Options(Flow::kForward))->Map(Triggered())->comments_size(), 0);

  ChangeEvent change = Triggered();
  change.mutable_entity()->mutable_comments(0)->clear_id();
  EXPECT_EQ(Mapper::Create(Config(), Options(Flow::kForward))->Map(change)->comments_size(), 0);
}

TEST(MapperTest, ACommentWithoutATimeRendersNoTime) {
  MappingConfig config = Config();
  config.mutable_comments()->set_template_("@Body@|@Time@|@Author@");
  ChangeEvent change = Triggered();
  change.mutable_entity()->mutable_comments(0)->clear_created_at();
  absl::StatusOr<WriteIntent> intent = Mapper::Create(config, Options(Flow::kForward))->Map(change);
  ASSERT_TRUE(intent.ok());
  EXPECT_EQ(intent->comments(0).body(), "Looking||Ann Lee");
}

TEST(MapperTest, CommentsAreCutToTheTargetLimit) {
  ChangeEvent change = Triggered();
  change.mutable_entity()->mutable_comments(0)->set_body(std::string(40000, 'z'));
  absl::StatusOr<WriteIntent> intent =
      Mapper::Create(Config(), Options(Flow::kForward))->Map(change);
  ASSERT_TRUE(intent.ok());
  EXPECT_EQ(intent->comments(0).body().size(), 32767u);
}

TEST(MapperTest, EvaluatesCriteriaAndFillsTheLookupQuery) {
  MapperOptions options = Options(Flow::kForward);
  options.criteria = "statuses[]=acknowledged";
  options.target_lookup = "\"PD Id\" ~ \"@Id@\"";
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), options);
  ASSERT_TRUE(mapper.ok()) << mapper.status();
  ChangeEvent change = Triggered();
  // No Id field to look up by: the writer is told why, and follows on_none.
  absl::StatusOr<WriteIntent> unfilled = mapper->Map(change);
  ASSERT_TRUE(unfilled.ok()) << unfilled.status();
  EXPECT_EQ(unfilled->target_lookup_query(), "");
  EXPECT_NE(unfilled->target_lookup_unfilled().find("@Id@ has no value"), std::string::npos);
  (*change.mutable_entity()->mutable_fields())["Id"].set_text("Q1ABCDEF");
  absl::StatusOr<WriteIntent> intent = mapper->Map(change);
  ASSERT_TRUE(intent.ok()) << intent.status();
  EXPECT_FALSE(intent->matches_criteria());
  EXPECT_EQ(intent->target_lookup_query(), "\"PD Id\" ~ \"Q1ABCDEF\"");
}

TEST(MapperTest, CreateRefusesWhatCannotRun) {
  struct Case {
    const char* config;
    const char* wanted;
  };
  for (const Case& c : {
           Case{R"pb(fields { source: "Titel" target: "summary" })pb", "\"Titel\""},
           Case{R"pb(fields { source: "Title" target: "key" })pb", "read-only"},
           Case{R"pb(fields { source: "Created" target: "assignee" })pb", "cannot convert"},
           Case{R"pb(fields { source: "Title" target: "priority" transform { prefix: "x" } })pb",
                "transforms apply to text"},
       }) {
    absl::StatusOr<Mapper> mapper =
        Mapper::Create(ParseText<MappingConfig>(c.config), Options(Flow::kForward));
    ASSERT_FALSE(mapper.ok()) << c.config;
    EXPECT_NE(mapper.status().message().find(c.wanted), std::string::npos) << mapper.status();
  }
  MapperOptions options = Options(Flow::kForward);
  options.criteria = "statuses[]=triggered OR x";
  EXPECT_FALSE(Mapper::Create(Config(), options).ok());
}

TEST(MapperTest, MapIntoReplacesWhatTheIntentHeld) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  WriteIntent intent;
  intent.add_fields()->set_target_field("stale");
  intent.set_target_lookup_query("stale");
  ASSERT_TRUE(mapper->MapInto(Triggered(), &intent).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(intent, *mapper->Map(Triggered())));
}

TEST(MapperTest, SameInputSameOutput) {
  absl::StatusOr<Mapper> mapper = Mapper::Create(Config(), Options(Flow::kForward));
  ASSERT_TRUE(mapper.ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*mapper->Map(Triggered()),
                                                                 *mapper->Map(Triggered())));
}

}  // namespace
}  // namespace ferry::mapping
