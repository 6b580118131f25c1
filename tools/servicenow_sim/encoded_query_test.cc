#include "tools/servicenow_sim/encoded_query.h"

#include <string>

#include "gtest/gtest.h"

namespace ferry::servicenow_sim {
namespace {

// Columns of a toy incident table; "group" is a reference whose name is
// read through a dot-walk; anything else is an unknown field.
class ToyReader : public FieldReader {
 public:
  std::optional<FieldValue> Read(const Record& row,
                                 absl::string_view field) const override {
    static const char* kNumeric[] = {"state", "priority", "sys_mod_count"};
    static const char* kText[] = {"number", "short_description",
                                  "sys_updated_on", "close_code", "group"};
    if (field == "group.name") {
      auto it = row.find("group");
      if (it == row.end() || it->second.empty()) return FieldValue{"", false};
      return FieldValue{it->second == "g1" ? "Network" : "Database", false};
    }
    for (const char* name : kNumeric) {
      if (field == name) return FieldValue{Get(row, name), true};
    }
    for (const char* name : kText) {
      if (field == name) return FieldValue{Get(row, name), false};
    }
    return std::nullopt;
  }

 private:
  static std::string Get(const Record& row, const std::string& column) {
    auto it = row.find(column);
    return it == row.end() ? "" : it->second;
  }
};

Record Incident(std::string state, std::string updated,
                std::string description = "Disk full", std::string group = "") {
  return {{"state", std::move(state)},
          {"sys_updated_on", std::move(updated)},
          {"short_description", std::move(description)},
          {"group", std::move(group)}};
}

bool Matches(const std::string& query, const Record& row) {
  return EncodedQuery::Parse(query).Matches(row, ToyReader());
}

TEST(EncodedQueryTest, EmptyQueryMatchesEverything) {
  EXPECT_TRUE(Matches("", Incident("1", "2026-01-01 00:00:00")));
}

TEST(EncodedQueryTest, ComparisonsOnNumbersAreNumeric) {
  Record row = Incident("10", "2026-01-01 00:00:00");
  EXPECT_TRUE(Matches("state>9", row));  // as text "10" < "9"
  EXPECT_TRUE(Matches("state>=10", row));
  EXPECT_FALSE(Matches("state<9", row));
  EXPECT_TRUE(Matches("state<=10", row));
  EXPECT_TRUE(Matches("state=10", row));
  EXPECT_TRUE(Matches("state!=7", row));
}

TEST(EncodedQueryTest, DatetimesCompareAsUtcText) {
  Record row = Incident("1", "2026-12-06 07:05:21");
  EXPECT_TRUE(Matches("sys_updated_on>=2026-12-06 07:05:21", row));
  EXPECT_FALSE(Matches("sys_updated_on>2026-12-06 07:05:21", row));
  EXPECT_TRUE(Matches("sys_updated_on<2026-12-06 07:05:22", row));
  EXPECT_TRUE(Matches(
      "sys_updated_on>=javascript:gs.dateGenerate('2026-12-06','07:00:00')",
      row));
  EXPECT_TRUE(Matches(
      "sys_updated_onBETWEEN2026-12-06 07:00:00@2026-12-06 07:05:21", row));
  EXPECT_FALSE(Matches(
      "sys_updated_onBETWEEN2026-12-06 07:05:22@2026-12-07 00:00:00", row));
}

TEST(EncodedQueryTest, OrBindsTighterThanAnd) {
  Record row = Incident("2", "2026-01-01 00:00:00");
  EXPECT_TRUE(Matches("state=1^ORstate=2", row));
  EXPECT_TRUE(Matches("short_descriptionLIKEdisk^state=1^ORstate=2", row));
  EXPECT_FALSE(Matches("short_descriptionLIKEcpu^state=1^ORstate=2", row));
  EXPECT_FALSE(Matches("state=1^ORstate=3^short_descriptionLIKEdisk", row));
}

TEST(EncodedQueryTest, NewQueryAddsRows) {
  Record row = Incident("2", "2026-01-01 00:00:00");
  EXPECT_TRUE(Matches("state=1^NQstate=2", row));
  EXPECT_FALSE(Matches("state=1^NQstate=3", row));
}

TEST(EncodedQueryTest, ListAndTextOperators) {
  Record row = Incident("6", "2026-01-01 00:00:00", "Disk full on db-1");
  EXPECT_TRUE(Matches("stateIN1,2,6", row));
  EXPECT_FALSE(Matches("stateNOT IN1,2,6", row));
  EXPECT_TRUE(Matches("stateNOT IN7,8", row));
  EXPECT_TRUE(Matches("short_descriptionLIKEFULL", row));  // ignores case
  EXPECT_TRUE(Matches("short_descriptionNOT LIKEcpu", row));
  EXPECT_TRUE(Matches("short_descriptionSTARTSWITHdisk", row));
  EXPECT_TRUE(Matches("short_descriptionENDSWITHdb-1", row));
  EXPECT_FALSE(Matches("short_descriptionENDSWITHdb-2", row));
  EXPECT_TRUE(Matches("close_codeISEMPTY", row));
  EXPECT_FALSE(Matches("close_codeISNOTEMPTY", row));
  EXPECT_TRUE(Matches("short_description=disk full on DB-1", row));
}

TEST(EncodedQueryTest, NotEqualsAndNotInIncludeEmptyValues) {
  Record row = Incident("", "2026-01-01 00:00:00");
  EXPECT_TRUE(Matches("state!=7", row));
  EXPECT_TRUE(Matches("stateNOT IN7,8", row));
  EXPECT_FALSE(Matches("state<7", row));
}

TEST(EncodedQueryTest, DotWalksThroughReferences) {
  EXPECT_TRUE(Matches("group.name=Network",
                      Incident("1", "2026-01-01 00:00:00", "x", "g1")));
  EXPECT_FALSE(Matches("group.name=Network",
                       Incident("1", "2026-01-01 00:00:00", "x", "g2")));
  EXPECT_TRUE(Matches("group.nameISEMPTY",
                      Incident("1", "2026-01-01 00:00:00", "x", "")));
}

TEST(EncodedQueryTest, DoubleCaretIsALiteralCaret) {
  Record row = Incident("1", "2026-01-01 00:00:00", "a^b");
  EXPECT_TRUE(Matches("short_description=a^^b", row));
  EXPECT_TRUE(Matches("short_description=a^^b^state=1", row));
  EXPECT_FALSE(Matches("short_description=a^^b^state=2", row));
}

TEST(EncodedQueryTest, InvalidFieldsAndTermsAreIgnored) {
  Record row = Incident("1", "2026-01-01 00:00:00");
  EXPECT_TRUE(Matches("no_such_field=1^state=1", row));
  EXPECT_TRUE(Matches("state=1^nonsense", row));
  EXPECT_TRUE(Matches("stateSAMEASpriority", row));
  EXPECT_FALSE(Matches("no_such_field=1^state=2", row));
  // An OR group whose only valid term fails still fails.
  EXPECT_FALSE(Matches("state=2^ORno_such_field=1", row));
}

TEST(EncodedQueryTest, OrderByTermsInOrderOfAppearance) {
  EncodedQuery query = EncodedQuery::Parse(
      "state=1^ORDERBYDESCpriority^ORDERBYsys_updated_on^EQ");
  ASSERT_EQ(query.order().size(), 2u);
  EXPECT_EQ(query.order()[0].field, "priority");
  EXPECT_TRUE(query.order()[0].descending);
  EXPECT_EQ(query.order()[1].field, "sys_updated_on");
  EXPECT_FALSE(query.order()[1].descending);
  ToyReader reader;
  Record a = {{"priority", "2"}, {"sys_updated_on", "2026-01-01 00:00:00"}};
  Record b = {{"priority", "10"}, {"sys_updated_on", "2026-01-01 00:00:00"}};
  Record c = {{"priority", "2"}, {"sys_updated_on", "2025-01-01 00:00:00"}};
  EXPECT_GT(query.Compare(a, b, reader), 0);  // 10 before 2, descending
  EXPECT_GT(query.Compare(a, c, reader), 0);  // then older first
  EXPECT_EQ(query.Compare(a, a, reader), 0);
}

TEST(EncodedQueryTest, AddEqualsJoinsEveryQuery) {
  EncodedQuery query = EncodedQuery::Parse("state=1^NQstate=2");
  query.AddEquals("short_description", "Disk full");
  ToyReader reader;
  EXPECT_TRUE(query.Matches(Incident("2", "x"), reader));
  EXPECT_FALSE(query.Matches(Incident("2", "x", "CPU"), reader));
}

}  // namespace
}  // namespace ferry::servicenow_sim
