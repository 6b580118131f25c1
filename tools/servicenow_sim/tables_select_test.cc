// Tables::Select through the ordered indexes gives exactly what a scan of
// the table gives, for poll queries and for everything around them, and
// reads only the rows in range.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tools/servicenow_sim/store.h"

namespace ferry::servicenow_sim {
namespace {

constexpr char kNow[] = "2026-12-06 08:00:00";
constexpr int kIncidents = 60;

// "2026-12-06 07:00:0<second>": rows share seconds, as polls see them.
std::string At(int second) {
  return absl::StrFormat("2026-12-06 07:00:%02d", second);
}

// 60 incidents over 6 seconds (10 a second), half in the Network group,
// sys_ids in mixed case (byte order differs from the case-blind order of
// ORDERBYsys_id), plus two rows whose sys_updated_on differ only in case.
void Fill(Store& store) {
  ASSERT_TRUE(store.Seed("sys_user_group", {{"sys_id", "g1"}, {"name", "Network"}}, kNow).ok());
  ASSERT_TRUE(store.Seed("sys_user_group", {{"sys_id", "g2"}, {"name", "Database"}}, kNow).ok());
  for (int i = 0; i < kIncidents; ++i) {
    const std::string sys_id =
        absl::StrFormat(i % 3 == 0 ? "ID%02d" : "id%02d", (i * 37) % kIncidents);
    ASSERT_TRUE(store
                    .Seed("incident",
                          {{"sys_id", sys_id},
                           {"number", absl::StrFormat("INC%07d", i)},
                           {"state", absl::StrCat(1 + i % 3)},
                           {"assignment_group", i % 2 ? "g1" : "g2"},
                           {"sys_created_on", At(i % 4)},
                           {"sys_updated_on", At(i % 6)}},
                          kNow)
                    .ok());
  }
  ASSERT_TRUE(store.Seed("incident", {{"sys_id", "upper"}, {"sys_updated_on", "X-LATE"}}, kNow).ok());
  ASSERT_TRUE(store.Seed("incident", {{"sys_id", "lower"}, {"sys_updated_on", "x-late"}}, kNow).ok());
}

struct Result {
  std::vector<std::string> sys_ids;
  std::optional<int64_t> total;
  int64_t rows_read = 0;
};

Result Query(Store& store, bool indexed, const std::string& query,
           const Tables::Page& page) {
  store.SetIndexedQueries(indexed);
  return store.Read([&](const Tables& tables) {
    Tables::Selection selection = tables.Select(
        *tables.Schema("incident"), EncodedQuery::Parse(query), page);
    Result result;
    for (const Record* row : selection.rows) {
      result.sys_ids.push_back(ColumnValue(*row, "sys_id"));
    }
    result.total = selection.total;
    result.rows_read = selection.rows_read;
    return result;
  });
}

const std::vector<std::string>& Queries() {
  static const auto& queries = *new std::vector<std::string>{
      // The connector's polls (first page, next pages), bare and scoped.
      absl::StrCat("ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on>=", At(2)),
      absl::StrCat("ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on=", At(2),
                   "^sys_id>id20^NQsys_updated_on>", At(2)),
      absl::StrCat("ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on>=", At(1),
                   "^assignment_group.name=Network^stateIN1,2"),
      absl::StrCat("ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on=", At(3),
                   "^sys_id>ID00^assignment_group.name=Network^NQsys_updated_on>",
                   At(3), "^assignment_group.name=Network"),
      // Ties in one second broken by sys_id alone, and descending.
      absl::StrCat("sys_updated_on>=", At(4), "^ORDERBYsys_updated_on"),
      absl::StrCat("sys_updated_on>", At(1), "^ORDERBYDESCsys_updated_on"),
      absl::StrCat("sys_updated_on>", At(1),
                   "^ORDERBYDESCsys_updated_on^ORDERBYDESCsys_id"),
      // Other orders, or none, over a range.
      absl::StrCat("sys_updated_onBETWEENjavascript:gs.dateGenerate('2026-12-06',"
                   "'07:00:01')@", At(3), "^ORDERBYstate"),
      absl::StrCat("sys_updated_on<", At(3)),
      absl::StrCat("sys_updated_on<=", At(3),
                   "^ORDERBYassignment_group.name^ORDERBYDESCsys_updated_on"),
      absl::StrCat("sys_updated_onIN", At(1), ",", At(4),
                   "^ORDERBYDESCsys_updated_on^ORDERBYnumber"),
      // OR groups on the column, and with another column (not a bound).
      absl::StrCat("sys_updated_on<", At(1), "^ORsys_updated_on>=", At(5),
                   "^ORDERBYsys_updated_on"),
      absl::StrCat("sys_updated_on>=", At(4), "^ORstate=1^ORDERBYsys_updated_on"),
      // ^NQ: bounded in both parts, and in one part only.
      absl::StrCat("sys_updated_on=", At(0), "^NQsys_updated_on>=", At(5),
                   "^ORDERBYsys_updated_on"),
      absl::StrCat("sys_updated_on>=", At(5), "^NQstate=1^ORDERBYsys_updated_on"),
      // The other index, and both.
      absl::StrCat("sys_created_on>=", At(2), "^ORDERBYsys_updated_on"),
      absl::StrCat("sys_updated_on>=", At(1), "^sys_created_on<=", At(2),
                   "^ORDERBYDESCsys_created_on"),
      // Empty and edge operands, case, unknown terms.
      "sys_updated_on>=", "sys_updated_on=", "sys_updated_on<",
      "ORDERBYsys_updated_on^sys_updated_on>=X-LATE",
      "sys_updated_on=x-LATE^ORDERBYsys_updated_on",
      absl::StrCat("sys_updated_on>", At(4), "^sys_updated_on<", At(2)),
      absl::StrCat("no_such>=1^sys_updated_on>=", At(3), "^ORDERBYsys_updated_on"),
      absl::StrCat("sys_updated_on>=", At(3), "^ORno_such=1^ORDERBYsys_updated_on"),
      absl::StrCat("ORDERBYsys_updated_on^sys_updated_on>=", At(2),
                   "^sys_updated_onLIKE07"),
      // No bound: scanned either way.
      "", "ORDERBYsys_updated_on", "ORDERBYDESCsys_updated_on^stateIN1,3",
  };
  return queries;
}

const std::vector<Tables::Page>& Pages() {
  static const auto& pages = *new std::vector<Tables::Page>{
      {0, std::numeric_limits<int64_t>::max(), true},
      {0, 3, false}, {0, 3, true}, {2, 5, false}, {7, 10, true},
      {0, 1, false}, {0, 0, false}, {0, 0, true}, {58, 10, true},
      {1000, 10, true}, {1000, 10, false},
  };
  return pages;
}

TEST(TablesSelectTest, IndexedReadsGiveWhatTheScanGives) {
  Store store;
  Fill(store);
  for (const std::string& query : Queries()) {
    for (const Tables::Page& page : Pages()) {
      SCOPED_TRACE(absl::StrCat(query, " offset ", page.offset, " limit ",
                                page.limit, page.count ? " counted" : ""));
      const Result scan = Query(store, false, query, page);
      const Result indexed = Query(store, true, query, page);
      EXPECT_EQ(indexed.sys_ids, scan.sys_ids);
      EXPECT_EQ(indexed.total, scan.total);
    }
  }
}

TEST(TablesSelectTest, PollReadsOnlyTheRowsInRangeAndStopsAtThePage) {
  Store store;
  Fill(store);
  const std::string poll = absl::StrCat(
      "ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on>=", At(4));
  const int64_t table_size = kIncidents + 2;
  EXPECT_EQ(Query(store, false, poll, {0, 3, false}).rows_read, table_size);
  // Counted: every row of seconds 4 and 5 (and the two "x-late" rows,
  // which sort after digits).
  const Result counted = Query(store, true, poll, {0, 3, true});
  EXPECT_EQ(counted.rows_read, 22);
  EXPECT_EQ(counted.total, 22);
  // Not counted, in the index's own order (sys_updated_on, sys_id): the
  // page's 3 rows, no more.
  const Result page = Query(store, true, poll, {0, 3, false});
  EXPECT_EQ(page.rows_read, 3);
  EXPECT_EQ(page.sys_ids.size(), 3u);
  // Ordered by sys_updated_on alone (or then by something else): the rest
  // of the page's last second too, whose rows could sort before its last.
  for (const char* order : {"", "^ORDERBYnumber", "^ORDERBYDESCsys_id"}) {
    EXPECT_EQ(Query(store, true,
                    absl::StrCat("ORDERBYsys_updated_on", order,
                                 "^sys_updated_on>=", At(4)),
                    {0, 3, false})
                  .rows_read,
              10)
        << order;
  }
  // Other orders read the whole range; unbounded queries the table.
  EXPECT_EQ(Query(store, true, absl::StrCat("sys_updated_on>=", At(4),
                                          "^ORDERBYnumber"),
                {0, 3, false})
                .rows_read,
            22);
  EXPECT_EQ(Query(store, true, absl::StrCat("sys_updated_on>=", At(4),
                                          "^NQstate=1"),
                {0, 3, false})
                .rows_read,
            table_size);
}

TEST(TablesSelectTest, NextPollPageStartsAfterItsSysIdInTheSecond) {
  Store store;
  Fill(store);
  // The 10 rows of second 4 in poll order; the next page starts after the
  // third.
  const Result second = Query(
      store, true,
      absl::StrCat("ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on=", At(4)),
      {0, 100, true});
  ASSERT_EQ(second.sys_ids.size(), 10u);
  const std::string next = absl::StrCat(
      "ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on=", At(4), "^sys_id>",
      second.sys_ids[2], "^NQsys_updated_on>", At(4));
  const Result page = Query(store, true, next, {0, 3, false});
  EXPECT_EQ(page.sys_ids, Query(store, false, next, {0, 3, false}).sys_ids);
  EXPECT_EQ(page.sys_ids,
            std::vector<std::string>(second.sys_ids.begin() + 3,
                                     second.sys_ids.begin() + 6));
  // The page's rows alone: none of the 3 before it in that second.
  EXPECT_EQ(page.rows_read, 3);
}

TEST(TablesSelectTest, WritesKeepTheIndexInStep) {
  Store store;
  Fill(store);
  const std::string late = "2026-12-06 07:00:30";
  const std::string poll =
      "ORDERBYsys_updated_on^ORDERBYsys_id^sys_updated_on>=2026-12-06 07:00:10";
  // An update moves a row to its new sys_updated_on.
  ASSERT_TRUE(store.Update("incident", "id01", {{"short_description", "moved"}},
                           {"u", "bob", late})
                  .ok());
  // An insert lands in range; a delete leaves it.
  absl::StatusOr<Record> inserted = store.Insert(
      "incident", {{"short_description", "new"}}, {"u", "bob", late});
  ASSERT_TRUE(inserted.ok());
  ASSERT_TRUE(store.Delete("incident", "upper").ok());
  const std::vector<std::string> expected = {
      std::min((*inserted)["sys_id"], std::string("id01")),
      std::max((*inserted)["sys_id"], std::string("id01")), "lower"};
  for (bool indexed : {false, true}) {
    SCOPED_TRACE(indexed ? "indexed" : "scan");
    const Result result = Query(store, indexed, poll, {0, 10, true});
    EXPECT_EQ(result.sys_ids, expected);
    EXPECT_EQ(result.total, 3);
  }
  // The row is no longer at its old second (10 rows there before).
  EXPECT_EQ(Query(store, true, absl::StrCat("sys_updated_on=", At(1)),
                {0, 100, true})
                .total,
            9);
  // Every row is in the index once, under its value now.
  const Result all = Query(store, true, "sys_updated_on>=", {0, 1000, true});
  EXPECT_EQ(all.rows_read, kIncidents + 2);
  EXPECT_EQ(all.total, kIncidents + 2);
  // Every query still agrees after the writes.
  for (const std::string& query : Queries()) {
    SCOPED_TRACE(query);
    const Result scan = Query(store, false, query, {1, 7, true});
    const Result indexed = Query(store, true, query, {1, 7, true});
    EXPECT_EQ(indexed.sys_ids, scan.sys_ids);
    EXPECT_EQ(indexed.total, scan.total);
  }
}

}  // namespace
}  // namespace ferry::servicenow_sim
