#include "tools/simcore/fault_injector.h"

#include "gtest/gtest.h"

namespace ferry::simcore {
namespace {

TEST(FaultRuleFromJsonTest, ParsesEveryField) {
  absl::StatusOr<FaultRule> rule = FaultRuleFromJson(nlohmann::json::parse(R"(
      {"kind": "status", "path_prefix": "/incidents", "method": "PUT",
       "rate": 0.5, "count": 2, "status": 503, "body": {"error": "x"}})"));
  ASSERT_TRUE(rule.ok()) << rule.status();
  EXPECT_EQ(rule->kind, FaultKind::kStatus);
  EXPECT_EQ(rule->path_prefix, "/incidents");
  EXPECT_EQ(rule->method, "PUT");
  EXPECT_DOUBLE_EQ(rule->rate, 0.5);
  EXPECT_EQ(rule->remaining, 2);
  EXPECT_EQ(rule->status, 503);
  EXPECT_EQ(rule->body, R"({"error":"x"})");
}

TEST(FaultRuleFromJsonTest, ErrorsNameTheField) {
  auto bad_kind = FaultRuleFromJson({{"kind", "explode"}});
  EXPECT_NE(bad_kind.status().message().find("\"kind\""), std::string::npos);
  auto bad_rate = FaultRuleFromJson({{"kind", "drop"}, {"rate", 2}});
  EXPECT_NE(bad_rate.status().message().find("\"rate\""), std::string::npos);
  auto bad_latency = FaultRuleFromJson({{"kind", "latency"}});
  EXPECT_NE(bad_latency.status().message().find("latency_ms"), std::string::npos);
  auto bad_prefix = FaultRuleFromJson({{"kind", "drop"}, {"path_prefix", "x"}});
  EXPECT_NE(bad_prefix.status().message().find("path_prefix"), std::string::npos);
}

TEST(FaultInjectorTest, CountedRuleFiresNTimesThenDisappears) {
  FaultInjector faults;
  FaultRule rule;
  rule.path_prefix = "/incidents";
  rule.remaining = 2;
  faults.Add(rule);
  EXPECT_FALSE(faults.Pick("GET", "/users").has_value());
  EXPECT_TRUE(faults.Pick("GET", "/incidents/P1").has_value());
  EXPECT_TRUE(faults.Pick("GET", "/incidents").has_value());
  EXPECT_FALSE(faults.Pick("GET", "/incidents").has_value());
  EXPECT_TRUE(faults.List().empty());
}

TEST(FaultInjectorTest, MethodFilterAndRemove) {
  FaultInjector faults;
  FaultRule rule;
  rule.method = "POST";
  const int id = faults.Add(rule);
  EXPECT_FALSE(faults.Pick("GET", "/x").has_value());
  EXPECT_TRUE(faults.Pick("POST", "/x").has_value());
  EXPECT_TRUE(faults.Remove(id));
  EXPECT_FALSE(faults.Remove(id));
  EXPECT_FALSE(faults.Pick("POST", "/x").has_value());
}

TEST(FaultInjectorTest, RateFiresSomeButNotAll) {
  FaultInjector faults(7);
  FaultRule rule;
  rule.rate = 0.5;
  faults.Add(rule);
  int fired = 0;
  for (int i = 0; i < 1000; ++i) fired += faults.Pick("GET", "/").has_value();
  EXPECT_GT(fired, 350);
  EXPECT_LT(fired, 650);
}

}  // namespace
}  // namespace ferry::simcore
