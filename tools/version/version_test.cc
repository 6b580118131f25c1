#include "tools/version/version.h"

#include <string>

#include "gtest/gtest.h"

namespace ferry {
namespace {

TEST(VersionTest, VersionIsAReleaseNumber) {
  // The top-level VERSION file, as tools/workspace_status.sh stamped it.
  EXPECT_TRUE(std::string(Version()).find_first_not_of("0123456789.") ==
              std::string::npos)
      << Version();
  EXPECT_FALSE(Version().empty());
}

TEST(VersionTest, RevisionIsACommitOrUnknown) {
  const std::string revision(Revision());
  EXPECT_TRUE(revision == "unknown" ||
              (revision.size() == 40 &&
               revision.find_first_not_of("0123456789abcdef") == std::string::npos))
      << revision;
}

TEST(VersionTest, VersionLineNamesProgramVersionAndRevision) {
  EXPECT_EQ(VersionLine("ferryd"),
            "ferryd " + std::string(Version()) + " (revision " +
                std::string(Revision()) + ")");
}

}  // namespace
}  // namespace ferry
