#include "connectors/jira/transition_screen.h"

#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// A "Resolve" transition as expand=transitions.fields lists it.
WorkflowTransition Resolve() {
  const json listed = json::parse(R"({"transitions": [{
    "id": "31", "name": "Resolve", "to": {"name": "Done"},
    "fields": {
      "resolution": {"required": true, "name": "Resolution",
                     "schema": {"type": "resolution", "system": "resolution"},
                     "allowedValues": [{"id": "1", "name": "Done"},
                                       {"id": "2", "name": "Won't Do"}]},
      "customfield_10012": {"required": true, "name": "Root cause",
                            "schema": {"type": "string"}},
      "customfield_10013": {"required": false, "name": "Minutes",
                            "schema": {"type": "number"}}}}]})");
  auto parsed = ParseTransitions(http::JsonReader(listed, "test"));
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() && parsed->size() == 1 ? (*parsed)[0] : WorkflowTransition{};
}

TEST(TransitionScreenTest, ParsesTheScreen) {
  const WorkflowTransition t = Resolve();
  EXPECT_EQ(t.id, "31");
  EXPECT_EQ(t.to_status, "Done");
  ASSERT_EQ(t.fields.size(), 3u);
  EXPECT_EQ(t.fields[0].id, "customfield_10012");
  EXPECT_TRUE(t.fields[0].required);
  EXPECT_EQ(t.fields[2].id, "resolution");
  EXPECT_EQ(t.fields[2].allowed, (std::vector<std::string>{"Done", "Won't Do"}));
}

TEST(TransitionScreenTest, MalformedScreenNamesThePlace) {
  const json listed = json::parse(
      R"({"transitions": [{"id": "31", "fields": {"resolution": {"required": "yes"}}}]})");
  auto parsed = ParseTransitions(http::JsonReader(listed, "jira GET x"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("required"), std::string::npos)
      << parsed.status();
}

TEST(TransitionScreenTest, FillsResolutionByDefaultAndFromTheMapping) {
  const std::map<std::string, std::string> configured = {
      {"customfield_10012", "disk"}, {"customfield_10013", "15"}};
  ScreenValues values{"", &configured, "jira", false};
  auto fields = ScreenFields(Resolve(), values);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ(*fields, json({{"resolution", {{"name", "Done"}}},
                           {"customfield_10012", "disk"},
                           {"customfield_10013", 15.0}}));
  values.resolution = "won't do";
  fields = ScreenFields(Resolve(), values);
  ASSERT_TRUE(fields.ok()) << fields.status();
  EXPECT_EQ((*fields)["resolution"], json({{"name", "Won't Do"}}));
}

TEST(TransitionScreenTest, RequiredFieldWithoutValueNamesTransitionFieldAndFix) {
  const std::map<std::string, std::string> configured;
  auto fields = ScreenFields(Resolve(), {"", &configured, "jira-prod", false});
  ASSERT_EQ(fields.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(fields.status().message(),
            "jira transition 'Resolve' to 'Done' needs field 'Root cause' "
            "(customfield_10012), which is required and Ferry has no value for. "
            "Fix: set it under the options of system 'jira-prod': "
            "transition_fields: {customfield_10012: \"<value>\"}");
}

TEST(TransitionScreenTest, UnknownResolutionAndBadNumberAreRefused) {
  const std::map<std::string, std::string> configured = {
      {"customfield_10012", "disk"}, {"customfield_10013", "soon"}};
  auto bad_number = ScreenFields(Resolve(), {"", &configured, "jira", false});
  ASSERT_EQ(bad_number.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(bad_number.status().message().find("as a number"), std::string::npos);
  const std::map<std::string, std::string> good = {{"customfield_10012", "disk"}};
  auto bad_resolution = ScreenFields(Resolve(), {"Fixed", &good, "jira", false});
  ASSERT_EQ(bad_resolution.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(bad_resolution.status().message().find("no resolution 'Fixed' (it offers: "
                                                   "Done, Won't Do)"),
            std::string::npos)
      << bad_resolution.status();
}

TEST(TransitionScreenTest, CloudRichTextIsAdfAndNoScreenIsEmpty) {
  WorkflowTransition t;
  t.id = "5";
  t.name = "Close";
  t.to_status = "Closed";
  const std::map<std::string, std::string> configured = {{"customfield_1", "why"}};
  auto none = ScreenFields(t, {"", &configured, "jira", true});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, json::object());
  t.fields.push_back({"customfield_1", "Why", true, "string",
                      "com.atlassian.jira.plugin.system.customfieldtypes:textarea", {}});
  auto adf = ScreenFields(t, {"", &configured, "jira", true});
  ASSERT_TRUE(adf.ok());
  EXPECT_EQ((*adf)["customfield_1"]["type"], "doc");
}

}  // namespace
}  // namespace ferry::jira
