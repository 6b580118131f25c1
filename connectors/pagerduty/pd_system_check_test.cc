#include "connectors/pagerduty/pd_system_check.h"

#include "absl/strings/match.h"
#include "connectors/pagerduty/testing/pd_sim_test_base.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ferry::pagerduty {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

class PdSystemCheckTest : public PdSimTest {
 protected:
  ferry::v1::CheckSystemResponse Check(const std::string& token, const std::string& email,
                                       const std::vector<std::string>& services) {
    auto connector = MakeConnector(token, email);
    auto response = connector->CheckSystem(services);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : ferry::v1::CheckSystemResponse{};
  }
};

TEST_F(PdSystemCheckTest, AccountTokenActsAsTheFromUser) {
  auto response = Check("account-full", "ferry-bot@example.com", {"PSVCWEB", "PSVCDB1"});
  EXPECT_TRUE(response.ok());
  EXPECT_EQ(response.user().id(), "PBOT001");
  EXPECT_EQ(response.role(), "user");
  EXPECT_THAT(response.capabilities(), Contains("write service PSVCDB1: ok"));
  EXPECT_TRUE(response.problems().empty());
}

TEST_F(PdSystemCheckTest, UserTokenIsUsersMe) {
  auto response = Check("responder-token", "", {"PSVCWEB"});
  EXPECT_TRUE(response.ok());
  EXPECT_EQ(response.user().id(), "PRESP01");
  EXPECT_EQ(response.role(), "limited_user");
}

TEST_F(PdSystemCheckTest, ObserverWriteAccessCannotBeSeenAndIsAWarning) {
  // A Responder role on the service itself would not show in any API.
  auto response = Check("observer-token", "", {"PSVCWEB"});
  EXPECT_TRUE(response.ok());
  EXPECT_THAT(response.capabilities(), Contains("read service PSVCWEB: ok"));
  EXPECT_THAT(response.capabilities(),
              Contains("write service PSVCWEB: cannot be seen, the first write will tell "
                       "(has Observer from base and team roles)"));
  EXPECT_TRUE(response.problems().empty());
  ASSERT_EQ(response.warnings_size(), 1);
  EXPECT_THAT(response.warnings(0), HasSubstr("Responder"));
  EXPECT_THAT(response.warnings(0), HasSubstr("PSVCWEB"));
}

TEST_F(PdSystemCheckTest, TeamRoleGrantsWrite) {
  // Otto is an observer by base role and a responder on the DB team.
  auto response = Check("observer-token", "", {"PSVCDB1"});
  EXPECT_TRUE(response.ok());
  EXPECT_THAT(response.capabilities(), Contains("write service PSVCDB1: ok"));
}

TEST_F(PdSystemCheckTest, UnknownServiceIsAProblem) {
  auto response = Check("admin-token", "", {"PNOSUCH"});
  EXPECT_FALSE(response.ok());
  ASSERT_EQ(response.problems_size(), 1);
  EXPECT_THAT(response.problems(0), HasSubstr("PNOSUCH"));
}

TEST_F(PdSystemCheckTest, AccountTokenWithoutEmailSaysSetUserEmail) {
  auto response = Check("account-full", "", {"PSVCWEB"});
  EXPECT_FALSE(response.ok());
  ASSERT_EQ(response.problems_size(), 1);
  EXPECT_THAT(response.problems(0), HasSubstr("user_email"));
}

TEST_F(PdSystemCheckTest, RefusedTokenIsAProblemWithoutTheToken) {
  auto response = Check("wrong-token-abcdefgh", "", {"PSVCWEB"});
  EXPECT_FALSE(response.ok());
  ASSERT_EQ(response.problems_size(), 1);
  EXPECT_THAT(response.problems(0), HasSubstr("valid, active PagerDuty API key"));
  EXPECT_FALSE(absl::StrContains(response.problems(0), "wrong-token-abcdefgh"));
}

}  // namespace
}  // namespace ferry::pagerduty
