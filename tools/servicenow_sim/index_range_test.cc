#include "tools/servicenow_sim/index_range.h"

#include "gtest/gtest.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kColumn[] = "sys_updated_on";

std::optional<KeyRange> Range(const std::string& query) {
  return RangeOf(EncodedQuery::Parse(query), kColumn);
}

void ExpectBound(const std::optional<KeyBound>& bound,
                 const std::optional<KeyBound>& expected) {
  ASSERT_EQ(bound.has_value(), expected.has_value());
  if (expected) {
    EXPECT_EQ(bound->key, expected->key);
    EXPECT_EQ(bound->inclusive, expected->inclusive);
  }
}

void ExpectRange(const std::optional<KeyRange>& range, const KeyBound& low,
                 const std::optional<KeyBound>& high,
                 const std::optional<KeyBound>& low_id = std::nullopt) {
  ASSERT_TRUE(range.has_value());
  ExpectBound(range->low_id, low_id);
  EXPECT_EQ(range->low.key, low.key);
  EXPECT_EQ(range->low.inclusive, low.inclusive);
  ExpectBound(range->high, high);
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
              {"c", true}, std::nullopt, KeyBound{"x", false});
  ExpectRange(Range("sys_updated_on=b^NQsys_updated_onBETWEENc@d"),
              {"b", true}, KeyBound{"d", true});
  // Terms the simulator ignores do not widen an OR group.
  ExpectRange(Range("sys_updated_on>=b^ORno such term"), {"b", true},
              std::nullopt);
  EXPECT_TRUE(Range("sys_updated_on>c^sys_updated_on<b")->Empty());
  EXPECT_TRUE(Range("sys_updated_on>c^sys_updated_on<=c")->Empty());
  EXPECT_FALSE(Range("sys_updated_on>=c^sys_updated_on<=c")->Empty());
}

TEST(IndexRangeTest, SysIdBoundStartsTheFirstKeyPartWay) {
  // The connector's next page: the rest of second c after sys_id X, then
  // every later second.
  ExpectRange(Range("sys_updated_on=c^sys_id>X^NQsys_updated_on>c"),
              {"c", true}, std::nullopt, KeyBound{"x", false});
  ExpectRange(Range("sys_updated_on>=c^sys_id>=x^sys_id>w"), {"c", true},
              std::nullopt, KeyBound{"x", true});
  ExpectRange(Range("sys_updated_on>=c^sys_id>x^sys_id>=y"), {"c", true},
              std::nullopt, KeyBound{"y", true});
  // Joined with a range from an earlier key, or from the key's start, the
  // sys_id bound no longer holds.
  ExpectRange(Range("sys_updated_on=c^sys_id>x^NQsys_updated_on>=b"),
              {"b", true}, std::nullopt);
  ExpectRange(Range("sys_updated_on=c^sys_id>x^NQsys_updated_on>=c"),
              {"c", true}, std::nullopt);
  ExpectRange(Range("sys_updated_on=c^sys_id>x^NQsys_updated_on=c^sys_id>w"),
              {"c", true}, KeyBound{"c", true}, KeyBound{"w", false});
  // Not a bound: sys_id in an OR group, or other operators; an exclusive
  // key has no rows of its own to start part-way.
  ExpectRange(Range("sys_updated_on>=c^sys_id>x^ORstate=1"), {"c", true},
              std::nullopt);
  ExpectRange(Range("sys_updated_on>=c^sys_id<x"), {"c", true}, std::nullopt);
  ExpectRange(Range("sys_updated_on>c^sys_id>x"), {"c", false}, std::nullopt);
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
