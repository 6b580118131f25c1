// Checks deploy/grafana/ferry-dashboard.json: valid JSON, and every metric
// it queries is one ferryd exports (taken from a scrape of a running
// ferryd, not from a list kept by hand).
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "deploy/testing/ferryd_facts.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ferry::deploy {
namespace {

constexpr char kDashboard[] = "deploy/grafana/ferry-dashboard.json";

nlohmann::json Dashboard() {
  std::ifstream in(kDashboard);
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// Every PromQL expression of the panels and of the template variables.
std::vector<std::string> Queries(const nlohmann::json& dashboard) {
  std::vector<std::string> queries;
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel["targets"]) queries.push_back(target["expr"]);
  }
  for (const auto& variable : dashboard["templating"]["list"]) {
    if (variable["type"] == "query") queries.push_back(variable["query"]);
  }
  return queries;
}

// The metric family a queried series belongs to: a histogram's _bucket,
// _sum and _count series are its family's.
std::string Family(const std::string& series,
                   const std::map<std::string, std::string>& exported) {
  for (const std::string suffix : {"_bucket", "_sum", "_count"}) {
    if (series.size() > suffix.size() &&
        series.compare(series.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const std::string base = series.substr(0, series.size() - suffix.size());
      const auto found = exported.find(base);
      if (found != exported.end() && found->second == "histogram") return base;
    }
  }
  return series;
}

TEST(DashboardTest, IsValidJsonWithPanelsThatEachQuerySomething) {
  const nlohmann::json dashboard = Dashboard();
  ASSERT_TRUE(dashboard.is_object()) << kDashboard << " is not valid JSON";
  ASSERT_FALSE(dashboard["panels"].empty());
  std::set<int> ids;
  for (const auto& panel : dashboard["panels"]) {
    EXPECT_TRUE(ids.insert(panel.value("id", 0)).second) << "panel id repeated";
    EXPECT_FALSE(panel.value("title", "").empty());
    EXPECT_FALSE(panel["targets"].empty()) << panel["title"] << " queries nothing";
  }
}

TEST(DashboardTest, EveryQueriedMetricIsExportedByFerryd) {
  const nlohmann::json dashboard = Dashboard();
  ASSERT_TRUE(dashboard.is_object());
  const auto exported = ScrapedMetricFamilies();
  ASSERT_TRUE(exported.ok()) << exported.status();
  static const std::regex kMetric(R"(\bferry_[a-z0-9_]+)");
  std::set<std::string> queried;
  for (const std::string& query : Queries(dashboard)) {
    for (std::sregex_iterator it(query.begin(), query.end(), kMetric), end; it != end; ++it) {
      queried.insert(Family(it->str(), *exported));
    }
  }
  // Every family of the pipeline collector is on the dashboard.
  for (const auto& [family, type] : *exported) {
    if (family.rfind("ferry_", 0) == 0) {
      EXPECT_EQ(queried.count(family), 1u) << family << " is exported but on no panel";
    }
  }
  for (const auto& metric : queried) {
    EXPECT_EQ(exported->count(metric), 1u)
        << kDashboard << " queries " << metric << ", which ferryd does not export";
  }
}

}  // namespace
}  // namespace ferry::deploy
