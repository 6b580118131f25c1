#include "engine/runtime/system_checks.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

// A connector whose check answers `answer`.
class CheckedConnector : public Connector {
 public:
  explicit CheckedConnector(absl::StatusOr<ferry::v1::CheckSystemResponse> answer)
      : answer_(std::move(answer)) {}
  absl::StatusOr<ferry::v1::CheckSystemResponse> CheckSystem(
      const std::vector<std::string>&) override {
    return answer_;
  }
  absl::StatusOr<std::unique_ptr<ChangeReader>> NewReader(const ReaderOptions&) override {
    return absl::UnimplementedError("not read in this test");
  }
  absl::StatusOr<std::unique_ptr<EntityWriter>> NewWriter(const std::string&) override {
    return absl::UnimplementedError("not written in this test");
  }

 private:
  absl::StatusOr<ferry::v1::CheckSystemResponse> answer_;
};

TEST(SystemChecksTest, LogsEachServiceWarningAndProblemAndAnUnreachableSystem) {
  ferry::v1::CheckSystemResponse found;
  found.set_ok(false);
  found.mutable_user()->set_email("ferry@example.com");
  found.set_role("observer");
  found.add_capabilities("read service PWEB: ok");
  found.add_capabilities("write service PWEB: cannot be seen, the first write will tell");
  found.add_warnings("a service role is not shown by any API");
  found.add_problems("service PNONE cannot be read; check the id");
  std::map<std::string, std::unique_ptr<Connector>> connectors;
  connectors["down"] = std::make_unique<CheckedConnector>(absl::UnavailableError("timed out"));
  connectors["pd"] = std::make_unique<CheckedConnector>(found);

  const std::vector<CheckLine> lines = CheckSystems(connectors, {});
  using Level = CheckLine::Level;
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0].level, Level::kWarning);
  EXPECT_THAT(lines[0].text, HasSubstr("system 'down': could not be checked (timed out)"));
  EXPECT_EQ(lines[1].level, Level::kInfo);
  EXPECT_EQ(lines[1].text,
            "system 'pd': check found problems; integration user ferry@example.com (observer)");
  EXPECT_EQ(lines[2].text, "system 'pd': read service PWEB: ok");
  EXPECT_EQ(lines[3].text,
            "system 'pd': write service PWEB: cannot be seen, the first write will tell");
  EXPECT_EQ(lines[4].level, Level::kWarning);
  EXPECT_EQ(lines[4].text, "system 'pd': a service role is not shown by any API");
  EXPECT_EQ(lines[5].level, Level::kError);
  EXPECT_EQ(lines[5].text, "system 'pd': service PNONE cannot be read; check the id");
}

}  // namespace
}  // namespace ferry::engine
