#include "mapping/value_map.h"

#include "gtest/gtest.h"
#include "mapping/testing/test_util.h"

namespace ferry::mapping {
namespace {

using ferry::v1::ValueMap;

TEST(ValueMapTest, ForwardUsesEntryThenDefault) {
  const ValueMap map = ParseText<ValueMap>(R"(
    values { key: "P1" value: "Highest" }
    values { key: "P2" value: "High" }
    default_value: "Medium")");
  EXPECT_EQ(*MapForward(map, "P1", "Priority"), "Highest");
  EXPECT_EQ(*MapForward(map, "P5", "Priority"), "Medium");
}

TEST(ValueMapTest, MissingValueWithoutDefaultNamesFieldAndValue) {
  const ValueMap map = ParseText<ValueMap>(R"(values { key: "triggered" value: "Open" })");
  absl::StatusOr<std::string> mapped = MapForward(map, "resolved", "Status");
  ASSERT_FALSE(mapped.ok());
  EXPECT_EQ(mapped.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(mapped.status().message().find("field Status"), std::string::npos);
  EXPECT_NE(mapped.status().message().find("\"resolved\""), std::string::npos);
}

TEST(ValueMapTest, EmptyMapPassesNamesThrough) {
  EXPECT_TRUE(IsIdentity(ValueMap()));
  EXPECT_EQ(*MapForward(ValueMap(), "High", "priority"), "High");
}

TEST(ValueMapTest, ReverseIsDerivedWhereOneToOne) {
  const ValueMap map = ParseText<ValueMap>(R"(
    values { key: "triggered" value: "Open" }
    values { key: "acknowledged" value: "In Progress" }
    values { key: "resolved" value: "Done" })");
  const ValueMap reverse = ReverseOf(map);
  EXPECT_EQ(*MapForward(reverse, "Open", "status"), "triggered");
  EXPECT_EQ(*MapForward(reverse, "Done", "status"), "resolved");
  EXPECT_FALSE(MapForward(reverse, "Closed", "status").ok());
  EXPECT_TRUE(AmbiguousReverseValues(map).empty());
}

TEST(ValueMapTest, ManyToOneNeedsAnExplicitReverseEntry) {
  const ValueMap map = ParseText<ValueMap>(R"(
    values { key: "P1" value: "High" }
    values { key: "P2" value: "High" }
    values { key: "P3" value: "Low" })");
  EXPECT_EQ(AmbiguousReverseValues(map), (std::vector<std::string>{"High"}));
  EXPECT_EQ(SourcesOf(map, "High"), (std::vector<std::string>{"P1", "P2"}));
  const ValueMap reverse = ReverseOf(map);
  EXPECT_FALSE(IsIdentity(reverse));
  EXPECT_FALSE(MapForward(reverse, "High", "priority").ok());
  EXPECT_EQ(*MapForward(reverse, "Low", "priority"), "P3");

  ValueMap resolved = map;
  (*resolved.mutable_reverse_values())["High"] = "P2";
  resolved.set_reverse_default_value("P4");
  EXPECT_TRUE(AmbiguousReverseValues(resolved).empty());
  EXPECT_EQ(*MapForward(ReverseOf(resolved), "High", "priority"), "P2");
  EXPECT_EQ(*MapForward(ReverseOf(resolved), "Lowest", "priority"), "P4");
}

TEST(ValueMapTest, ExplicitReverseEntryOverridesDerivedOne) {
  const ValueMap map = ParseText<ValueMap>(R"(
    values { key: "resolved" value: "Done" }
    reverse_values { key: "Done" value: "acknowledged" })");
  EXPECT_EQ(*MapForward(ReverseOf(map), "Done", "status"), "acknowledged");
}

TEST(ValueMapTest, ReverseOfReverseIsTheForwardMap) {
  const ValueMap map = ParseText<ValueMap>(R"(
    values { key: "a" value: "X" }
    default_value: "Y")");
  const ValueMap twice = ReverseOf(ReverseOf(map));
  EXPECT_EQ(*MapForward(twice, "a", "f"), "X");
  EXPECT_EQ(*MapForward(twice, "zzz", "f"), "Y");
}

}  // namespace
}  // namespace ferry::mapping
