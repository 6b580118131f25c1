#include "connectors/jira/jira_wiki.h"

#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

TEST(JiraWikiTest, MarkupSurvivesARoundTripThroughAdf) {
  for (const char* wiki : {
           "", "plain words", "two\n\nparagraphs",
           "h2. Impact\nCheckout is *down* for _some_ users, see {{db-1}}.",
           "* first\n* second\n# one\n# two",
           "Status page: [Acme status|https://status.example.com] and [https://example.com]",
           "{code}\nSELECT 1;\nSELECT 2;\n{code}\nafter",
           "bq. quoted\n----\n-struck- text",
           "snake_case_names and 2*3*4 stay literal",
       }) {
    EXPECT_EQ(AdfToWiki(WikiToAdf(wiki)), wiki) << wiki;
  }
}

// Marks nest, and a mark neighbouring pieces share is written once.
TEST(JiraWikiTest, MarksInsideMarks) {
  const std::string wiki = "*bold _and em_* then [*bold link*|https://x.example] [https://y.example]";
  const json doc = WikiToAdf(wiki);
  EXPECT_EQ(doc["content"][0]["content"], json::parse(R"([
    {"type":"text","text":"bold ","marks":[{"type":"strong"}]},
    {"type":"text","text":"and em","marks":[{"type":"strong"},{"type":"em"}]},
    {"type":"text","text":" then "},
    {"type":"text","text":"bold link","marks":[{"type":"link","attrs":{"href":"https://x.example"}},
                                               {"type":"strong"}]},
    {"type":"text","text":" "},
    {"type":"text","text":"https://y.example",
     "marks":[{"type":"link","attrs":{"href":"https://y.example"}}]}])"));
  EXPECT_EQ(AdfToWiki(doc), wiki);
  EXPECT_EQ(AdfToWikiExact(doc), wiki);
  // ADF allows code inside a link only.
  EXPECT_EQ(WikiToAdf("*a {{b}}*")["content"][0]["content"][1],
            json::parse(R"({"type":"text","text":"b","marks":[{"type":"code"}]})"));
}

// Jira's nested lists repeat their markers: "** " inside "* ", "#* " a
// bullet inside a numbered item.
TEST(JiraWikiTest, NestedListsNest) {
  const std::string wiki = "* top\n** nested\n*** deeper\n# one\n#* mixed\n## numbered under one";
  const json doc = WikiToAdf(wiki);
  ASSERT_EQ(doc["content"].size(), 2u) << doc.dump();
  const json& nested = doc["content"][0]["content"][0]["content"][1];
  EXPECT_EQ(nested["type"], "bulletList");
  EXPECT_EQ(nested["content"][0]["content"][1]["type"], "bulletList");
  const json& numbered = doc["content"][1];
  EXPECT_EQ(numbered["type"], "orderedList");
  EXPECT_EQ(numbered["content"][0]["content"][1]["type"], "bulletList");
  EXPECT_EQ(numbered["content"][0]["content"][2]["type"], "orderedList");
  EXPECT_EQ(AdfToWiki(doc), wiki);
  EXPECT_EQ(AdfToWikiExact(doc), wiki);
  // A level with no item above it is no list; literal "## " stays literal.
  EXPECT_EQ(WikiToAdf("** orphan")["content"][0]["type"], "paragraph");
  const json literal = TextToAdf("# a\n## b");
  EXPECT_EQ(WikiToAdf(AdfToWikiExact(literal)), literal);
}

TEST(JiraWikiTest, LiteralTextStaysLiteral) {
  for (const char* text : {"", "one line", "gap\n\nbetween",
                           "**markdown** and *wiki* stay as typed"}) {
    EXPECT_EQ(AdfToWiki(TextToAdf(text)), text);
  }
  json doc = TextToAdf("*not bold*");
  EXPECT_FALSE(doc["content"][0]["content"][0].contains("marks"));
}

TEST(JiraWikiTest, BackslashesMakeMarkupLiteral) {
  const json doc = WikiToAdf("\\*not bold\\* \\{{x}} \\[a|https://b] C:\\dir");
  ASSERT_EQ(doc["content"][0]["content"].size(), 1u) << doc.dump();
  EXPECT_EQ(doc["content"][0]["content"][0]["text"], "*not bold* {{x}} [a|https://b] C:\\dir");
  EXPECT_EQ(WikiToAdf("\\# one")["content"][0]["type"], "paragraph");
}

// Data Center renders every wiki markup character, not only the subset
// WikiToAdf reads: literal text keeps each of them literal.
TEST(JiraWikiTest, ExactWikiEscapesEveryMarkupCharacter) {
  const json doc =
      TextToAdf("!alert! a|b +ins+ ^sup^ ~sub~ ??cite?? *b* _e_ -s- {{c}} [l] why?");
  const std::string wiki = AdfToWikiExact(doc);
  EXPECT_EQ(wiki,
            "\\!alert\\! a\\|b \\+ins\\+ \\^sup\\^ \\~sub\\~ \\??cite\\?? "
            "\\*b\\* \\_e\\_ \\-s\\- \\{\\{c}} \\[l] why?");
  EXPECT_EQ(WikiToAdf(wiki), doc);
}

// "[|url]" links the url with the url as its text: ADF text nodes are never
// empty (Cloud refuses them).
TEST(JiraWikiTest, LinkWithoutTextShowsItsUrl) {
  const json doc = WikiToAdf("see [|https://x.example]");
  ASSERT_EQ(doc["content"][0]["content"].size(), 2u) << doc.dump();
  EXPECT_EQ(doc["content"][0]["content"][1]["text"], "https://x.example");
  EXPECT_EQ(doc["content"][0]["content"][1]["marks"][0]["attrs"]["href"], "https://x.example");
}

TEST(JiraWikiTest, MarksBecomeAdfMarks) {
  json doc = WikiToAdf("Is *down* see [docs|https://d.example.com]");
  const json& nodes = doc["content"][0]["content"];
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes[1]["text"], "down");
  EXPECT_EQ(nodes[1]["marks"][0]["type"], "strong");
  EXPECT_EQ(nodes[3]["marks"][0]["type"], "link");
  EXPECT_EQ(nodes[3]["marks"][0]["attrs"]["href"], "https://d.example.com");
}

TEST(JiraWikiTest, AdfFromCloudBecomesWiki) {
  json doc = json::parse(R"({"type":"doc","version":1,"content":[
    {"type":"paragraph","content":[
      {"type":"text","text":"Ask "},
      {"type":"mention","attrs":{"id":"5b10a2844c","text":"@Alice"}},
      {"type":"hardBreak"},
      {"type":"text","text":"now","marks":[{"type":"em"}]}]},
    {"type":"panel","content":[{"type":"paragraph","content":[{"type":"text","text":"note"}]}]}]})");
  EXPECT_EQ(AdfToWiki(doc), "Ask [~accountid:5b10a2844c]\n_now_\nnote");
  EXPECT_EQ(AdfToWiki(json("h1. v2 body")), "h1. v2 body");
}

}  // namespace
}  // namespace ferry::jira
