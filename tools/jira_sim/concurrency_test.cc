// Many clients at once: every write lands once, keys stay unique.
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tools/jira_sim/testing/test_jira.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

TEST(ConcurrencyTest, ParallelCreatesAndCommentsAreAllKept) {
  TestJira jira(Dialect::kDataCenter);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<std::string>> keys(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      httplib::Client client("127.0.0.1", jira.port());
      httplib::Headers auth = {{"Authorization", jira.BasicFor("ferry")}};
      for (int i = 0; i < kPerThread; ++i) {
        json body = {{"fields", {{"project", {{"key", "WEB"}}},
                                 {"issuetype", {{"name", "Task"}}},
                                 {"summary", "parallel"}}}};
        auto created = client.Post("/rest/api/2/issue", auth, body.dump(),
                                   "application/json");
        if (!created || created->status != 201) continue;
        std::string key = json::parse(created->body)["key"];
        client.Post(("/rest/api/2/issue/" + key + "/comment").c_str(), auth,
                    R"({"body":"hi"})", "application/json");
        client.Post("/rest/api/2/issue/OPS-1/comment", auth,
                    R"({"body":"shared"})", "application/json");
        keys[t].push_back(key);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& list : keys) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
  json page = Body(jira.Get("/rest/api/2/search?jql=summary~parallel&maxResults=0"));
  EXPECT_EQ(page["total"], kThreads * kPerThread);
  json comments = Body(jira.Get("/rest/api/2/issue/OPS-1/comment?maxResults=0"));
  EXPECT_EQ(comments["total"], 1 + kThreads * kPerThread);
}

}  // namespace
}  // namespace ferry::jira_sim
