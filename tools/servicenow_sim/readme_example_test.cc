// The seed example in README.md loads, and means what the README says.
#include "gtest/gtest.h"
#include "tools/servicenow_sim/seed.h"
#include "tools/simcore/testing/readme_example.h"

namespace ferry::servicenow_sim {
namespace {

TEST(ReadmeExampleTest, SeedExampleLoads) {
  auto seed = simcore::ReadmeJsonExample("tools/servicenow_sim/README.md",
                                         "## Seed format");
  ASSERT_TRUE(seed.ok()) << seed.status();
  Store store;
  ASSERT_TRUE(LoadSeed(*seed, store, "2026-12-06 07:00:00").ok());
  store.Read([](const Tables& tables) {
    const TableSchema& incident = *tables.Schema("incident");
    auto rows = tables.Select(
        incident, EncodedQuery::Parse("assignment_group.name=Network^"
                                      "caller_id.user_name=ferry"));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(ColumnValue(*rows[0], "sys_mod_count"), "0");
    EXPECT_EQ(ColumnValue(*rows[0], "sys_created_on"), "2026-12-06 07:00:00");
  });
}

}  // namespace
}  // namespace ferry::servicenow_sim
