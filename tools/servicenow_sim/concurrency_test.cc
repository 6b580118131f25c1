// Many clients writing and listing at once: no write is lost, every row's
// sys_mod_count counts its own updates, sys_ids and numbers stay unique.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "nlohmann/json.hpp"
#include "tools/servicenow_sim/testing/test_servicenow.h"

namespace ferry::servicenow_sim {
namespace {

constexpr int kClients = 8;
constexpr int kIncidentsPerClient = 5;
constexpr int kUpdatesPerIncident = 4;

TEST(ConcurrencyTest, ParallelWritesAndListsLoseNothing) {
  TestServiceNow sn;
  absl::Mutex mu;
  std::vector<std::string> created;  // guarded by mu
  int failures = 0;                  // guarded by mu
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", sn.port());
      client.set_tcp_nodelay(true);
      const httplib::Headers headers = {
          {"Authorization", TestServiceNow::BasicFor("ferry")},
          {"Accept", "application/json"}};
      for (int i = 0; i < kIncidentsPerClient; ++i) {
        auto posted = client.Post(
            "/api/now/table/incident", headers,
            nlohmann::json{{"short_description", absl::StrCat(c, "-", i)}}.dump(),
            "application/json");
        if (!posted || posted->status != 201) {
          absl::MutexLock lock(&mu);
          ++failures;
          continue;
        }
        const std::string id = Body(posted)["result"]["sys_id"];
        for (int u = 0; u < kUpdatesPerIncident; ++u) {
          auto patched = client.Patch(
              "/api/now/table/incident/" + id, headers,
              nlohmann::json{{"short_description", absl::StrCat(c, "-", i, "-", u)},
                             {"comments", absl::StrCat("note ", u)}}
                  .dump(),
              "application/json");
          auto listed = client.Get(
              "/api/now/table/incident?sysparm_query=short_descriptionSTARTSWITH" +
                  absl::StrCat(c, "-") + "&sysparm_fields=sys_id",
              headers);
          if (!patched || patched->status != 200 || !listed ||
              listed->status != 200) {
            absl::MutexLock lock(&mu);
            ++failures;
          }
        }
        absl::MutexLock lock(&mu);
        created.push_back(id);
      }
    });
  }
  for (std::thread& client : clients) client.join();

  EXPECT_EQ(failures, 0);
  ASSERT_EQ(created.size(), size_t{kClients * kIncidentsPerClient});
  std::set<std::string> numbers;
  for (const std::string& id : created) {
    nlohmann::json row =
        Body(sn.Get("/api/now/table/incident/" + id))["result"];
    EXPECT_EQ(row["sys_mod_count"], std::to_string(kUpdatesPerIncident)) << id;
    numbers.insert(row["number"].get<std::string>());
  }
  EXPECT_EQ(std::set<std::string>(created.begin(), created.end()).size(),
            created.size());
  EXPECT_EQ(numbers.size(), created.size());
  httplib::Result journal = sn.Get(
      "/api/now/table/sys_journal_field?sysparm_query=element=comments"
      "&sysparm_fields=sys_id");
  EXPECT_EQ(journal->get_header_value("X-Total-Count"),
            std::to_string(kClients * kIncidentsPerClient * kUpdatesPerIncident));
}

}  // namespace
}  // namespace ferry::servicenow_sim
