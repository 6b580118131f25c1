#include "tools/servicenow_sim/index_range.h"

#include "gtest/gtest.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kColumn[] = "sys_updated_on";

std::optional<KeyRange> Range(const std::string& query) {
  return RangeOf(EncodedQuery::Parse(query), kColumn);
}

void ExpectRange(const std::optional<KeyRange>& range, const KeyBound& low,
                 const std::optional<KeyBound>& high) {
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->low.key, low.key);
  EXPECT_EQ(range->low.inclusive, low.inclusive);
  ASSERT_EQ(range->high.has_value(), high.has_value());
  if (high) {
    EXPECT_EQ(range->high->key, high->key);
    EXPECT_EQ(range->high->inclusive, high->inclusive);
  }
}

TEST(IndexRangeTest, EachOperatorBoundsTheKeysItCanMatch) {
  ExpectRange(Range("sys_updated_on>=2026-12-06 07:00:00"),
              {"2026-12-06 07:00:00", true}, std::nullopt);
  ExpectRange(Range("sys_updated_on>B"), {"b", false}, std::nullopt);
  // <, <= and >= '' never match an empty value: the range leaves out "".
  ExpectRange(Range("sys_updated_on<b"), {"", false}, KeyBound{"b", false});
  ExpectRange(Range("sys_updated_on<=b"), {"", false}, KeyBound{"b", true});
  ExpectRange(Range("sys_updated_on>="), {"", false}, std::nullopt);
  // = '' matches the empty value only.
  ExpectRange(Range("sys_updated_on="), {"", true}, KeyBound{"", true});
  ExpectRange(Range("sys_updated_onBETWEENa@C"), {"a", true},
              KeyBound{"c", true});
  ExpectRange(Range("sys_updated_onINc,A,b"), {"a", true}, KeyBound{"c", true});
  ExpectRange(Range("sys_updated_on>=javascript:gs.dateGenerate('2026-12-06',"
                    "'07:00:00')"),
              {"2026-12-06 07:00:00", true}, std::nullopt);
}

TEST(IndexRangeTest, AndIntersectsOrAndNqJoin) {
  ExpectRange(Range("sys_updated_on>=a^sys_updated_on>b^sys_updated_on<=z"
                    "^sys_updated_on<y"),
              {"b", false}, KeyBound{"y", false});
  ExpectRange(Range("sys_updated_on>=m^ORsys_updated_on=c"), {"c", true},
              std::nullopt);
  ExpectRange(Range("sys_updated_on=c^sys_id>x^NQsys_updated_on>c^state=1"),
              {"c", true}, std::nullopt);
  ExpectRange(Range("sys_updated_on=b^NQsys_updated_onBETWEENc@d"),
              {"b", true}, KeyBound{"d", true});
  // Terms the simulator ignores do not widen an OR group.
  ExpectRange(Range("sys_updated_on>=b^ORno such term"), {"b", true},
              std::nullopt);
  EXPECT_TRUE(Range("sys_updated_on>c^sys_updated_on<b")->Empty());
  EXPECT_TRUE(Range("sys_updated_on>c^sys_updated_on<=c")->Empty());
  EXPECT_FALSE(Range("sys_updated_on>=c^sys_updated_on<=c")->Empty());
}

TEST(IndexRangeTest, NoRangeWhenSomeQueryLeavesTheColumnFree) {
  EXPECT_FALSE(Range(""));
  EXPECT_FALSE(Range("ORDERBYsys_updated_on"));
  EXPECT_FALSE(Range("state=1"));
  EXPECT_FALSE(Range("sys_updated_on!=a"));
  EXPECT_FALSE(Range("sys_updated_onLIKE2026"));
  EXPECT_FALSE(Range("sys_updated_on>=a^ORstate=1"));
  EXPECT_FALSE(Range("sys_updated_on>=a^NQstate=1"));
  EXPECT_FALSE(Range("NQsys_updated_on>=a"));
  EXPECT_FALSE(Range("sys_created_on>=a"));
}

}  // namespace
}  // namespace ferry::servicenow_sim
