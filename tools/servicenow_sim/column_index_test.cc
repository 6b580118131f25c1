#include "tools/servicenow_sim/column_index.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ferry::servicenow_sim {
namespace {

std::vector<std::string> Walked(const ColumnIndex& index, const KeyRange& range,
                                bool descending, size_t stop_after = 100) {
  std::vector<std::string> sys_ids;
  index.Walk(range, descending, [&](const std::string&, const std::string& id) {
    sys_ids.push_back(id);
    return sys_ids.size() < stop_after;
  });
  return sys_ids;
}

ColumnIndex Filled() {
  ColumnIndex index("sys_updated_on");
  index.Add("e", {{"sys_updated_on", "B"}});
  index.Add("d", {{"sys_updated_on", "b"}});
  index.Add("c", {{"sys_updated_on", "c"}});
  index.Add("a", {{"sys_updated_on", "a"}});
  index.Add("z", {});  // no value: keyed ""
  return index;
}

TEST(ColumnIndexTest, WalksKeysIgnoringCaseThenSysIdsEitherWay) {
  const ColumnIndex index = Filled();
  EXPECT_EQ(Walked(index, KeyRange{}, false),
            (std::vector<std::string>{"z", "a", "d", "e", "c"}));
  EXPECT_EQ(Walked(index, KeyRange{}, true),
            (std::vector<std::string>{"c", "e", "d", "a", "z"}));
  EXPECT_EQ(Walked(index, KeyRange{}, false, 2),
            (std::vector<std::string>{"z", "a"}));
}

TEST(ColumnIndexTest, WalksOnlyTheRange) {
  const ColumnIndex index = Filled();
  EXPECT_EQ(Walked(index, {{"", false}, std::nullopt}, false),
            (std::vector<std::string>{"a", "d", "e", "c"}));
  EXPECT_EQ(Walked(index, {{"a", false}, KeyBound{"c", false}}, false),
            (std::vector<std::string>{"d", "e"}));
  EXPECT_EQ(Walked(index, {{"b", true}, KeyBound{"c", true}}, true),
            (std::vector<std::string>{"c", "e", "d"}));
  EXPECT_EQ(Walked(index, {{"b", true}, KeyBound{"b", true}}, false),
            (std::vector<std::string>{"d", "e"}));
  EXPECT_TRUE(Walked(index, {{"b", false}, KeyBound{"b", true}}, false).empty());
  EXPECT_TRUE(Walked(index, {{"c", true}, KeyBound{"a", true}}, true).empty());
}

TEST(ColumnIndexTest, SysIdBoundStartsTheFirstKeyPartWay) {
  const ColumnIndex index = Filled();
  // Key "b" holds sys_ids d and e.
  EXPECT_EQ(Walked(index, {{"b", true}, std::nullopt, KeyBound{"d", false}},
                   false),
            (std::vector<std::string>{"e", "c"}));
  EXPECT_EQ(Walked(index, {{"b", true}, std::nullopt, KeyBound{"d", true}},
                   false),
            (std::vector<std::string>{"d", "e", "c"}));
  EXPECT_EQ(Walked(index, {{"b", true}, std::nullopt, KeyBound{"d", true}},
                   true),
            (std::vector<std::string>{"c", "e", "d"}));
  EXPECT_EQ(Walked(index, {{"b", true}, KeyBound{"b", true},
                           KeyBound{"e", false}},
                   false),
            std::vector<std::string>{});
}

TEST(ColumnIndexTest, RemoveForgetsTheRowAsIndexed) {
  ColumnIndex index = Filled();
  index.Remove("d", {{"sys_updated_on", "b"}});
  index.Remove("z", {});
  EXPECT_EQ(Walked(index, KeyRange{}, false),
            (std::vector<std::string>{"a", "e", "c"}));
}

}  // namespace
}  // namespace ferry::servicenow_sim
