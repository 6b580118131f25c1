#include "tools/jira_sim/rich_text.h"

#include "gtest/gtest.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

TEST(RichTextTest, PlainStringIsOneParagraph) {
  EXPECT_EQ(WikiToAdf("Database down"),
            json::parse(R"({"type":"doc","version":1,"content":[
              {"type":"paragraph","content":[
                {"type":"text","text":"Database down"}]}]})"));
}

TEST(RichTextTest, EmptyStringIsAnEmptyDocument) {
  EXPECT_EQ(WikiToAdf(""),
            json::parse(R"({"type":"doc","version":1,"content":[]})"));
}

TEST(RichTextTest, MarksLinksAndBreaks) {
  json adf = WikiToAdf("*Sev1* in _eu-west_\nsee [runbook|https://x/rb] or {{kubectl}}");
  json expected = json::parse(R"([
    {"type":"text","text":"Sev1","marks":[{"type":"strong"}]},
    {"type":"text","text":" in "},
    {"type":"text","text":"eu-west","marks":[{"type":"em"}]},
    {"type":"hardBreak"},
    {"type":"text","text":"see "},
    {"type":"text","text":"runbook","marks":[{"type":"link","attrs":{"href":"https://x/rb"}}]},
    {"type":"text","text":" or "},
    {"type":"text","text":"kubectl","marks":[{"type":"code"}]}])");
  EXPECT_EQ(adf["content"][0]["content"], expected);
}

TEST(RichTextTest, HyphenInsideWordsIsNotStrike) {
  json adf = WikiToAdf("eu-west-1 is down");
  EXPECT_EQ(adf["content"][0]["content"],
            json::parse(R"([{"type":"text","text":"eu-west-1 is down"}])"));
}

TEST(RichTextTest, BlocksRoundTrip) {
  const std::string wiki =
      "h2. Impact\n\nCustomers *cannot* pay.\nSince 10:15.\n\n* first\n* "
      "second\n\n# one\n# two\n\n{code:bash}\nkubectl get pods\n{code}\n\n"
      "{quote}\nquoted\n{quote}\n\n----\n\nAsk [~accountid:5b10a284].";
  json adf = WikiToAdf(wiki);
  ASSERT_EQ(adf["content"].size(), 8u);
  EXPECT_EQ(adf["content"][0]["type"], "heading");
  EXPECT_EQ(adf["content"][0]["attrs"]["level"], 2);
  EXPECT_EQ(adf["content"][2]["type"], "bulletList");
  EXPECT_EQ(adf["content"][3]["type"], "orderedList");
  EXPECT_EQ(adf["content"][4]["attrs"]["language"], "bash");
  EXPECT_EQ(adf["content"][5]["type"], "blockquote");
  EXPECT_EQ(adf["content"][6]["type"], "rule");
  EXPECT_EQ(adf["content"][7]["content"][1]["type"], "mention");
  auto back = AdfToWiki(adf);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, wiki);
}

TEST(RichTextTest, UnknownAdfNodesKeepTheirText) {
  json adf = json::parse(R"({"type":"doc","version":1,"content":[
    {"type":"panel","attrs":{"panelType":"info"},"content":[
      {"type":"paragraph","content":[{"type":"text","text":"note "},
        {"type":"emoji","attrs":{"shortName":":fire:"}}]}]}]})");
  auto wiki = AdfToWiki(adf);
  ASSERT_TRUE(wiki.ok()) << wiki.status();
  EXPECT_EQ(*wiki, "note :fire:");
}

TEST(RichTextTest, NonDocumentIsRefusedWithJirasMessage) {
  for (const json& bad : {json("plain string"), json::parse(R"({"type":"paragraph"})"),
                          json::parse(R"({"type":"doc","version":2,"content":[]})")}) {
    auto wiki = AdfToWiki(bad);
    ASSERT_FALSE(wiki.ok()) << bad.dump();
    EXPECT_EQ(wiki.status().message(),
              "Operation value must be an Atlassian Document (see the "
              "Atlassian Document Format)");
  }
}

}  // namespace
}  // namespace ferry::jira_sim
