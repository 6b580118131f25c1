#include "connectors/query/url_query_dialect.h"

#include "gtest/gtest.h"

namespace ferry::query {
namespace {

TEST(UrlQueryDialectTest, ValuesCannotAddParameters) {
  const UrlQueryDialect dialect;
  EXPECT_EQ(dialect.EscapeValue("a&statuses[]=x y"), "a%26statuses%5B%5D%3Dx%20y");
  EXPECT_EQ(dialect.EscapeValue("OPS-12_a.b~c"), "OPS-12_a.b~c");
}

TEST(UrlQueryDialectTest, DecodesEscapesAndPlus) {
  const UrlQueryDialect dialect;
  EXPECT_EQ(dialect.DecodeValue("In+Progress%2fx"), "In Progress/x");
  EXPECT_EQ(dialect.DecodeValue("100%"), "100%");  // a malformed escape stays
  EXPECT_EQ(dialect.DecodeValue(dialect.EscapeValue("a&b=c d")), "a&b=c d");
  EXPECT_TRUE(dialect.FerryParsesQueries());
}

}  // namespace
}  // namespace ferry::query
