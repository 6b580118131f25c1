#include "http/json_fields.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::http {
namespace {

using ::testing::HasSubstr;

constexpr char kWhere[] = "GET /log_entries";

TEST(ParseJsonTest, ParsesJsonAndNamesTheRequestOtherwise) {
  absl::StatusOr<nlohmann::json> json = ParseJson(R"({"more": true})", kWhere);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_TRUE((*json)["more"].get<bool>());

  absl::StatusOr<nlohmann::json> cut = ParseJson(R"({"more": tr)", kWhere);
  EXPECT_TRUE(absl::IsUnavailable(cut.status()));
  EXPECT_THAT(cut.status().message(), HasSubstr("GET /log_entries: the response body is not JSON"));
}

TEST(JsonReaderTest, ReadsFieldsOfTheRightType) {
  const nlohmann::json json = {
      {"id", "P1"}, {"more", true}, {"total", 7}, {"agent", {{"id", "U1"}}}, {"list", {1, 2}}};
  const JsonReader reader(json, kWhere);
  EXPECT_EQ(*reader.RequireString("id"), "P1");
  EXPECT_TRUE(*reader.OptionalBool("more", false));
  EXPECT_EQ(*reader.OptionalInt("total"), 7);
  const nlohmann::json big = {{"total", UINT64_MAX}};
  EXPECT_EQ(JsonReader(big, kWhere).OptionalInt("total").status().message(),
            "GET /log_entries: field 'total' is a number, expected a 64-bit whole number");
  EXPECT_EQ(*reader.RequireObject("agent")->RequireString("id"), "U1");
  EXPECT_EQ(reader.RequireArray("list")->size(), 2u);
}

TEST(JsonReaderTest, AbsentAndNullAreTheSameForOptionalReads) {
  const nlohmann::json json = {{"more", nullptr}};
  const JsonReader reader(json, kWhere);
  EXPECT_FALSE(*reader.OptionalBool("more", false));
  EXPECT_TRUE(*reader.OptionalBool("absent", true));
  EXPECT_EQ(*reader.OptionalString("more"), std::nullopt);
  EXPECT_EQ(*reader.OptionalInt("more"), std::nullopt);
  EXPECT_EQ(*reader.OptionalObject("more"), std::nullopt);
  EXPECT_TRUE(reader.OptionalArray("more")->empty());
}

TEST(JsonReaderTest, AWrongTypeNamesTheRequestTheFieldAndWhatWasFound) {
  const nlohmann::json json = {{"more", "yes"}, {"total", 1.5}, {"list", {1}}};
  const JsonReader reader(json, kWhere);
  absl::Status more = reader.OptionalBool("more", false).status();
  EXPECT_TRUE(absl::IsUnavailable(more));
  EXPECT_EQ(more.message(), "GET /log_entries: field 'more' is a string, expected a boolean");
  EXPECT_EQ(reader.OptionalInt("total").status().message(),
            "GET /log_entries: field 'total' is a fractional number, "
            "expected a 64-bit whole number");
  EXPECT_EQ(reader.RequireObject("list").status().message(),
            "GET /log_entries: field 'list' is an array, expected an object");
  EXPECT_EQ(reader.RequireString("id").status().message(),
            "GET /log_entries: field 'id' is missing, expected a string");
}

TEST(JsonReaderTest, NestedReadsNameTheWholePath) {
  const nlohmann::json json = {{"log_entries", {{{"incident", {{"id", "P1"}}}},
                                                {{"incident", "P2"}}}}};
  const JsonReader reader(json, kWhere);
  absl::StatusOr<std::vector<JsonReader>> entries = reader.RequireArray("log_entries");
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_EQ(*(*entries)[0].RequireObject("incident")->RequireString("id"), "P1");
  EXPECT_EQ((*entries)[1].RequireObject("incident").status().message(),
            "GET /log_entries: field 'log_entries[1].incident' is a string, expected an object");
}

TEST(JsonReaderTest, FieldsOfANonObjectAreAnErrorNotAThrow) {
  const nlohmann::json json = {{"issues", {1}}};
  const JsonReader reader(json, "POST /rest/api/2/search");
  absl::StatusOr<std::vector<JsonReader>> issues = reader.RequireArray("issues");
  ASSERT_TRUE(issues.ok());
  EXPECT_EQ((*issues)[0].RequireString("id").status().message(),
            "POST /rest/api/2/search: 'issues[0]' is a number, expected an object with 'id'");
  const nlohmann::json text = "not an object";
  EXPECT_EQ(JsonReader(text, "GET /myself").OptionalBool("active", true).status().message(),
            "GET /myself: the body is a string, expected an object with 'active'");
}

TEST(JsonReaderTest, StringOrFallsBackOnAnyShape) {
  const nlohmann::json json = {{"name", 5}, {"email", "a@b.c"}};
  const JsonReader reader(json, kWhere);
  EXPECT_EQ(reader.StringOr("name", "?"), "?");
  EXPECT_EQ(reader.StringOr("email"), "a@b.c");
  const nlohmann::json array = nlohmann::json::array();
  EXPECT_EQ(JsonReader(array, kWhere).StringOr("name"), "");
}

TEST(LenientReadsTest, NeverThrowWhateverTheShape) {
  const nlohmann::json json = {{"level", 2}, {"name", "x"}, {"big", UINT64_MAX}};
  EXPECT_EQ(MemberOrNull(json, "name"), "x");
  EXPECT_TRUE(MemberOrNull(json, "absent").is_null());
  EXPECT_TRUE(MemberOrNull(nlohmann::json(3), "name").is_null());
  EXPECT_EQ(StringOr(json, "level", "?"), "?");
  EXPECT_EQ(IntOr(json, "level", 1), 2);
  EXPECT_EQ(IntOr(json, "name", 1), 1);
  EXPECT_EQ(IntOr(json, "big", 1), 1);
  EXPECT_EQ(IntOr(nlohmann::json::array(), "level", 1), 1);
}

}  // namespace
}  // namespace ferry::http
