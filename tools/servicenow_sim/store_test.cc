#include "tools/servicenow_sim/store.h"

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/seed.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kT0[] = "2026-12-06 07:00:00";
constexpr char kT1[] = "2026-12-06 07:00:01";

WriteContext As(const std::string& user, const std::string& now) {
  return {"sys-id-of-" + user, user, now};
}

// Journal input becomes a sys_journal_field row and "" in the incident;
// a short_description change adds an audit row; close_code "refuse" is
// refused as a data policy would.
class ToyIncidentRules : public TableRules {
 public:
  absl::Status BeforeInsert(const WriteContext& context, Record& row,
                            WriteEffects& effects) const override {
    row["number"] = "INC0010001";
    Journal(context, row, effects);
    return absl::OkStatus();
  }
  absl::Status BeforeUpdate(const WriteContext& context, const Record& before,
                            Record& after,
                            WriteEffects& effects) const override {
    if (after["close_code"] == "refuse") {
      return absl::PermissionDeniedError("Data Policy Exception");
    }
    if (before.count("short_description") &&
        before.at("short_description") != after["short_description"]) {
      effects.inserts.push_back(
          {"sys_audit",
           {{"tablename", "incident"},
            {"fieldname", "short_description"},
            {"documentkey", after["sys_id"]},
            {"oldvalue", before.at("short_description")},
            {"newvalue", after["short_description"]}}});
    }
    Journal(context, after, effects);
    return absl::OkStatus();
  }

 private:
  static void Journal(const WriteContext&, Record& row, WriteEffects& effects) {
    if (!row["comments"].empty()) {
      effects.inserts.push_back({"sys_journal_field",
                                 {{"name", "incident"},
                                  {"element", "comments"},
                                  {"element_id", row["sys_id"]},
                                  {"value", row["comments"]}}});
      row["comments"] = "";
    }
  }
};

int Count(const Store& store, const std::string& table,
          const std::string& query) {
  return store.Read([&](const Tables& tables) {
    return static_cast<int>(
        tables.Select(*tables.Schema(table), EncodedQuery::Parse(query))
            .size());
  });
}

TEST(StoreTest, InsertFillsSystemColumnsAndDropsUnknownAndReadOnlyOnes) {
  Store store;
  absl::StatusOr<Record> row = store.Insert(
      "incident",
      {{"short_description", "Disk full"},
       {"priority", "1"},
       {"no_such_column", "x"},
       {"sys_mod_count", "42"}},
      As("ferry", kT0));
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ((*row)["sys_id"].size(), 32u);
  EXPECT_EQ((*row)["sys_id"].find_first_not_of("0123456789abcdef"),
            std::string::npos);
  EXPECT_EQ((*row)["sys_created_on"], kT0);
  EXPECT_EQ((*row)["sys_updated_on"], kT0);
  EXPECT_EQ((*row)["sys_created_by"], "ferry");
  EXPECT_EQ((*row)["sys_mod_count"], "0");
  EXPECT_FALSE(row->contains("priority"));
  EXPECT_FALSE(row->contains("no_such_column"));
}

TEST(StoreTest, UpdateAdvancesModCountOnlyWhenSomethingChanges) {
  Store store;
  Record row = *store.Insert("incident", {{"short_description", "a"}},
                             As("ferry", kT0));
  absl::StatusOr<Record> same = store.Update(
      "incident", row["sys_id"], {{"short_description", "a"}}, As("alice", kT1));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ((*same)["sys_mod_count"], "0");
  EXPECT_EQ((*same)["sys_updated_on"], kT0);
  absl::StatusOr<Record> changed = store.Update(
      "incident", row["sys_id"], {{"short_description", "b"}}, As("alice", kT1));
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ((*changed)["sys_mod_count"], "1");
  EXPECT_EQ((*changed)["sys_updated_on"], kT1);
  EXPECT_EQ((*changed)["sys_updated_by"], "alice");
  EXPECT_EQ((*changed)["sys_created_by"], "ferry");
}

TEST(StoreTest, UnknownTableAndRowAreNotFound) {
  Store store;
  EXPECT_EQ(store.Insert("nope", {}, As("ferry", kT0)).status().message(),
            "Invalid table nope");
  EXPECT_TRUE(absl::IsNotFound(
      store.Update("incident", "missing", {}, As("ferry", kT0)).status()));
  EXPECT_TRUE(absl::IsNotFound(store.Delete("incident", "missing")));
}

TEST(StoreTest, RulesEffectsAreSavedWithTheRow) {
  Store store;
  ASSERT_TRUE(
      store.SetRules("incident", std::make_unique<ToyIncidentRules>()).ok());
  Record row = *store.Insert(
      "incident", {{"short_description", "a"}, {"comments", "hello"}},
      As("ferry", kT0));
  EXPECT_EQ(row["number"], "INC0010001");
  EXPECT_EQ(row["comments"], "");
  EXPECT_EQ(Count(store, "sys_journal_field",
                  "element_id=" + row["sys_id"] + "^value=hello"),
            1);
  // A comment alone is an update: it advances sys_mod_count.
  Record commented = *store.Update("incident", row["sys_id"],
                                   {{"comments", "again"}}, As("ferry", kT1));
  EXPECT_EQ(commented["sys_mod_count"], "1");
  EXPECT_EQ(Count(store, "sys_journal_field", "element_id=" + row["sys_id"]),
            2);
}

TEST(StoreTest, RefusedWriteSavesNothing) {
  Store store;
  ASSERT_TRUE(
      store.SetRules("incident", std::make_unique<ToyIncidentRules>()).ok());
  Record row = *store.Insert("incident", {{"short_description", "a"}},
                             As("ferry", kT0));
  absl::StatusOr<Record> refused = store.Update(
      "incident", row["sys_id"],
      {{"close_code", "refuse"}, {"comments", "lost"}}, As("ferry", kT1));
  EXPECT_TRUE(absl::IsPermissionDenied(refused.status()));
  EXPECT_EQ(Count(store, "incident", "close_code=refuse"), 0);
  EXPECT_EQ(Count(store, "sys_journal_field", ""), 0);
}

TEST(StoreTest, AuditRowsFollowTheTablesAuditSwitch) {
  Store store;
  ASSERT_TRUE(
      store.SetRules("incident", std::make_unique<ToyIncidentRules>()).ok());
  Record row = *store.Insert("incident", {{"short_description", "a"}},
                             As("ferry", kT0));
  ASSERT_TRUE(store.Update("incident", row["sys_id"],
                           {{"short_description", "b"}}, As("ferry", kT1))
                  .ok());
  EXPECT_EQ(Count(store, "sys_audit", "documentkey=" + row["sys_id"]), 1);
  ASSERT_TRUE(store.SetAudited("incident", false).ok());
  ASSERT_TRUE(store.Update("incident", row["sys_id"],
                           {{"short_description", "c"}}, As("ferry", kT1))
                  .ok());
  EXPECT_EQ(Count(store, "sys_audit", "documentkey=" + row["sys_id"]), 1);
}

TEST(StoreTest, SeedKeepsGivenColumnsAndRefusesUnknownOnes) {
  Store store;
  nlohmann::json seed = {
      {"sys_user",
       {{{"sys_id", "u1"}, {"user_name", "alice"}, {"name", "Alice A"}}}},
      {"sys_user_group", {{{"sys_id", "g1"}, {"name", "Network"}}}},
      {"incident",
       {{{"number", "INC0000001"},
         {"priority", "1"},
         {"caller_id", "u1"},
         {"assignment_group", "g1"},
         {"sys_mod_count", 3}}}}};
  ASSERT_TRUE(LoadSeed(seed, store, kT0).ok());
  EXPECT_EQ(Count(store, "incident", "priority=1^sys_mod_count=3"), 1);
  EXPECT_EQ(Count(store, "incident", "caller_id.user_name=alice"), 1);
  EXPECT_EQ(Count(store, "incident", "assignment_group.name=network"), 1);
  EXPECT_EQ(Count(store, "incident", "assignment_group.name=Database"), 0);
  absl::Status bad =
      LoadSeed({{"incident", {{{"bogus", "x"}}}}}, store, kT0);
  EXPECT_TRUE(absl::IsInvalidArgument(bad));
  EXPECT_NE(bad.message().find("bogus"), std::string::npos);
  EXPECT_TRUE(absl::IsAlreadyExists(
      store.Seed("sys_user", {{"sys_id", "u1"}}, kT0).status()));
}

TEST(StoreTest, ChoiceLabelsAndReferenceDisplayValues) {
  Store store;
  ASSERT_TRUE(LoadSeed({{"sys_choice",
                         {{{"name", "incident"},
                           {"element", "state"},
                           {"value", "2"},
                           {"label", "In Progress"}}}},
                        {"sys_user", {{{"sys_id", "u1"}, {"name", "Alice A"}}}}},
                       store, kT0)
                  .ok());
  store.Read([](const Tables& tables) {
    const TableSchema& incident = *tables.Schema("incident");
    EXPECT_EQ(tables.DisplayValue(incident, "state", "2"), "In Progress");
    EXPECT_EQ(tables.DisplayValue(incident, "state", "9"), "9");
    EXPECT_EQ(tables.DisplayValue(incident, "caller_id", "u1"), "Alice A");
    EXPECT_EQ(tables.ValueForDisplay(incident, "state", "in progress"), "2");
    EXPECT_EQ(tables.ValueForDisplay(incident, "caller_id", "Alice A"), "u1");
    EXPECT_EQ(tables.ValueForDisplay(incident, "caller_id", "Nobody"),
              std::nullopt);
  });
}

TEST(StoreTest, SelectOrdersByOrderByThenSysId) {
  Store store;
  ASSERT_TRUE(LoadSeed({{"incident",
                         {{{"sys_id", "b"}, {"state", "2"}},
                          {{"sys_id", "a"}, {"state", "2"}},
                          {{"sys_id", "c"}, {"state", "10"}}}}},
                       store, kT0)
                  .ok());
  store.Read([](const Tables& tables) {
    auto rows = tables.Select(*tables.Schema("incident"),
                              EncodedQuery::Parse("ORDERBYDESCstate"));
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]->at("sys_id"), "c");
    EXPECT_EQ(rows[1]->at("sys_id"), "a");
    EXPECT_EQ(rows[2]->at("sys_id"), "b");
  });
}

}  // namespace
}  // namespace ferry::servicenow_sim
