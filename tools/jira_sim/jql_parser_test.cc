#include "tools/jira_sim/jql_parser.h"

#include "gtest/gtest.h"

namespace ferry::jira_sim {
namespace {

using NodeKind = JqlNode::Kind;

std::string Message(const std::string& jql) {
  auto ast = ParseJql(jql);
  EXPECT_FALSE(ast.ok()) << jql;
  return ast.ok() ? "" : std::string(ast.status().message());
}

TEST(JqlParserTest, AndBindsTighterThanOr) {
  auto ast = ParseJql("a = 1 OR b = 2 AND c = 3");
  ASSERT_TRUE(ast.ok()) << ast.status();
  ASSERT_TRUE(ast->where.has_value());
  const JqlNode& root = *ast->where;
  ASSERT_EQ(root.kind, NodeKind::kOr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].clause.field, "a");
  EXPECT_EQ(root.children[1].kind, NodeKind::kAnd);
  EXPECT_EQ(root.children[1].children[1].clause.field, "c");
}

TEST(JqlParserTest, ParenthesesNotAndLists) {
  auto ast = ParseJql("NOT (status in (Open, \"In Progress\") or priority is not EMPTY)");
  ASSERT_TRUE(ast.ok()) << ast.status();
  const JqlNode& root = *ast->where;
  ASSERT_EQ(root.kind, NodeKind::kNot);
  const JqlNode& inner = root.children[0];
  ASSERT_EQ(inner.kind, NodeKind::kOr);
  const JqlClause& in = inner.children[0].clause;
  EXPECT_EQ(in.op, "IN");
  EXPECT_TRUE(in.list);
  ASSERT_EQ(in.values.size(), 2u);
  EXPECT_EQ(in.values[1].text, "In Progress");
  EXPECT_TRUE(in.values[1].quoted);
  const JqlClause& is_not = inner.children[1].clause;
  EXPECT_EQ(is_not.op, "IS NOT");
  EXPECT_TRUE(is_not.values[0].empty);
}

TEST(JqlParserTest, NotInOperator) {
  auto ast = ParseJql("status not in (Done)");
  ASSERT_TRUE(ast.ok()) << ast.status();
  EXPECT_EQ(ast->where->clause.op, "NOT IN");
}

TEST(JqlParserTest, OrderByOnlyAndWithDirections) {
  auto only = ParseJql("ORDER BY updated");
  ASSERT_TRUE(only.ok()) << only.status();
  EXPECT_FALSE(only->where.has_value());
  ASSERT_EQ(only->order_by.size(), 1u);
  EXPECT_FALSE(only->order_by[0].descending);

  auto both = ParseJql("project = A order by updated DESC, key asc");
  ASSERT_TRUE(both.ok()) << both.status();
  ASSERT_EQ(both->order_by.size(), 2u);
  EXPECT_TRUE(both->order_by[0].descending);
  EXPECT_EQ(both->order_by[1].field, "key");
}

TEST(JqlParserTest, EmptyQueryHasNoCondition) {
  auto ast = ParseJql("  ");
  ASSERT_TRUE(ast.ok());
  EXPECT_FALSE(ast->where.has_value());
  EXPECT_TRUE(ast->order_by.empty());
}

TEST(JqlParserTest, MissingOperatorIsJirasMessage) {
  EXPECT_EQ(Message("non parsable query"),
            "Error in the JQL Query: Expecting operator but got 'parsable'. "
            "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', "
            "'!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'. (line 1, character 5)");
}

TEST(JqlParserTest, MessagesAtTheEndOfTheQuery) {
  EXPECT_EQ(Message("project = LAUNCH AND"),
            "Error in the JQL Query: Expecting a field name at the end of the "
            "query.");
  EXPECT_EQ(Message("project ="),
            "Error in the JQL Query: Expecting either a value, list or "
            "function before the end of the query.");
  EXPECT_EQ(Message("status in (fred, bob"),
            "Error in the JQL Query: Expecting ')' before the end of the "
            "query.");
  EXPECT_NE(Message("project").find("Expecting operator before the end"),
            std::string::npos);
}

TEST(JqlParserTest, DoubledOperatorIsJirasMessage) {
  EXPECT_EQ(Message("project = LAUNCH AND status = = Done"),
            "Error in the JQL Query: Expecting either a value, list or "
            "function but got '='. You must surround '=' in quotation marks "
            "to use it as a value. (line 1, character 31)");
}

TEST(JqlParserTest, TrailingWordNeedsAndOrOr) {
  EXPECT_EQ(Message("project = A status = B"),
            "Error in the JQL Query: Expecting either 'OR' or 'AND' but got "
            "'status'. (line 1, character 13)");
}

TEST(JqlParserTest, FunctionsAndHistoryOperatorsAreRefusedNotIgnored) {
  EXPECT_NE(Message("updated > now()").find("function 'now()' is not supported"),
            std::string::npos);
  EXPECT_NE(Message("status WAS Open").find("operator 'WAS' is not supported"),
            std::string::npos);
}

TEST(JqlParserTest, OrderWithoutBy) {
  EXPECT_EQ(Message("project = A ORDER updated"),
            "Error in the JQL Query: Expecting 'BY' but got 'updated'. (line 1, "
            "character 19)");
}

}  // namespace
}  // namespace ferry::jira_sim
