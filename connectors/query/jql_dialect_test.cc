#include "connectors/query/jql_dialect.h"

#include "gtest/gtest.h"

namespace ferry::query {
namespace {

TEST(JqlDialectTest, ValuesCannotLeaveTheirQuotes) {
  const JqlDialect dialect;
  EXPECT_EQ(dialect.EscapeValue(R"(say "hi" it's \ok)"), R"(say \"hi\" it\'s \\ok)");
}

TEST(JqlDialectTest, JiraParsesItsOwnQueries) {
  const JqlDialect dialect;
  EXPECT_EQ(dialect.DecodeValue("In%20Progress"), "In%20Progress");
  EXPECT_FALSE(dialect.FerryParsesQueries());
}

}  // namespace
}  // namespace ferry::query
