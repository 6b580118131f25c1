#include "tools/jira_sim/jql_lexer.h"

#include "gtest/gtest.h"

namespace ferry::jira_sim {
namespace {

using Kind = JqlToken::Kind;

TEST(JqlLexerTest, SplitsClausesOperatorsAndKeywords) {
  auto tokens = TokenizeJql("project = OPS and updated >= \"2024-05-01 10:15\"");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 8u);
  EXPECT_EQ((*tokens)[0].kind, Kind::kWord);
  EXPECT_EQ((*tokens)[0].text, "project");
  EXPECT_EQ((*tokens)[1].kind, Kind::kOperator);
  EXPECT_EQ((*tokens)[3].kind, Kind::kAnd);
  EXPECT_EQ((*tokens)[5].text, ">=");
  EXPECT_EQ((*tokens)[6].kind, Kind::kString);
  EXPECT_EQ((*tokens)[6].text, "2024-05-01 10:15");
  EXPECT_EQ((*tokens)[6].position, 30);
  EXPECT_EQ((*tokens)[7].kind, Kind::kEnd);
}

TEST(JqlLexerTest, SymbolicBooleansAndTwoCharacterOperators) {
  auto tokens = TokenizeJql("!(a != b) && c !~ d || e <= f");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  std::vector<Kind> kinds;
  std::vector<std::string> texts;
  for (const auto& t : *tokens) {
    kinds.push_back(t.kind);
    texts.push_back(t.text);
  }
  EXPECT_EQ(kinds, (std::vector<Kind>{
                       Kind::kNot, Kind::kLParen, Kind::kWord, Kind::kOperator,
                       Kind::kWord, Kind::kRParen, Kind::kAnd, Kind::kWord,
                       Kind::kOperator, Kind::kWord, Kind::kOr, Kind::kWord,
                       Kind::kOperator, Kind::kWord, Kind::kEnd}));
  EXPECT_EQ(texts[3], "!=");
  EXPECT_EQ(texts[8], "!~");
  EXPECT_EQ(texts[12], "<=");
}

TEST(JqlLexerTest, KeysRelativeDatesAndEpochsAreWords) {
  auto tokens = TokenizeJql("key in (OPS-12, ops-3) or updated > -5m or x > 1714557600000");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  EXPECT_EQ((*tokens)[3].text, "OPS-12");
  EXPECT_EQ((*tokens)[5].text, "ops-3");
  EXPECT_EQ((*tokens)[10].text, "-5m");
  EXPECT_EQ((*tokens)[14].text, "1714557600000");
}

TEST(JqlLexerTest, CustomFieldReferenceIsOneWord) {
  auto tokens = TokenizeJql("cf[10010] ~ x");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  EXPECT_EQ((*tokens)[0].kind, Kind::kWord);
  EXPECT_EQ((*tokens)[0].text, "cf[10010]");
  EXPECT_FALSE(TokenizeJql("cf[abc] ~ x").ok());
}

TEST(JqlLexerTest, ResolvesEscapesInBothQuoteStyles) {
  auto tokens = TokenizeJql(R"(summary ~ 'it\'s "x"' or summary ~ "a\u00e9\\b")");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  EXPECT_EQ((*tokens)[2].text, "it's \"x\"");
  EXPECT_EQ((*tokens)[6].text, "a\xC3\xA9\\b");
}

TEST(JqlLexerTest, CountsLinesAndCharacters) {
  auto tokens = TokenizeJql("project = A\n  and status = B");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  EXPECT_EQ((*tokens)[3].line, 2);
  EXPECT_EQ((*tokens)[3].position, 3);
}

TEST(JqlLexerTest, ReservedCharacterIsJirasError) {
  auto tokens = TokenizeJql("summary ~ 50%");
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.status().message(),
            "Error in the JQL Query: The character '%' is a reserved JQL "
            "character. You must enclose it in a string or use the escape "
            "'\\u0025' instead. (line 1, character 13)");
}

TEST(JqlLexerTest, UnterminatedStringFails) {
  auto tokens = TokenizeJql("summary ~ \"open");
  ASSERT_FALSE(tokens.ok());
  EXPECT_EQ(tokens.status().message(),
            "Error in the JQL Query: Missing end quote on string starting at "
            "'open'. (line 1, character 11)");
}

TEST(JqlLexerTest, BadEscapeFails) {
  auto tokens = TokenizeJql("summary ~ \"a\\qb\"");
  ASSERT_FALSE(tokens.ok());
  EXPECT_NE(tokens.status().message().find("Illegal escape sequence '\\q'"),
            std::string::npos);
}

}  // namespace
}  // namespace ferry::jira_sim
