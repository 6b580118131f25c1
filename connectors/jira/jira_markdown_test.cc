#include "connectors/jira/jira_markdown.h"

#include <random>
#include <string>
#include <vector>

#include "connectors/jira/jira_wiki.h"
#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// Markdown as Cloud stores it (ADF) and as Data Center stores it (wiki),
// read back.
std::string ThroughCloud(const std::string& markdown) {
  return CommentMarkdown(MarkdownToAdf(markdown));
}
std::string ThroughDataCenter(const std::string& markdown) {
  return CommentMarkdown(json(AdfToWikiExact(MarkdownToAdf(markdown))));
}

TEST(JiraMarkdownTest, FormattedNotesSurviveBothDeployments) {
  for (const char* markdown : {
           "", "plain words", "two\n\nparagraphs",
           "# Impact\nCheckout is **down** for _some_ users, see `db-1`.",
           "- first\n- second\n1. one\n2. two\n3. three",
           "Status: [Acme status](https://status.example.com) and "
           "[https://example.com](https://example.com)",
           "```\nSELECT 1;\nSELECT *;\n```\nafter",
           "> quoted\n---\n~~struck~~ text",
           "## Sub\n###### Deep",
           "snake_case_names, 2*3*4, a - b, {{braces}} and [x|y] stay literal",
           "* star bullet\n- dash bullet\n1. one\n1. one again\n# h",
           "h1. not a heading\nbq. not a quote\n----\n{code}",
       }) {
    EXPECT_EQ(ThroughCloud(markdown), markdown);
    EXPECT_EQ(ThroughDataCenter(markdown), markdown);
  }
}

TEST(JiraMarkdownTest, MarkdownBecomesJiraFormatting) {
  const json doc = MarkdownToAdf(
      "**bold** _em_ `code` ~~gone~~ [docs](https://d.example.com)\n- item\n1. first");
  const json& nodes = doc["content"][0]["content"];
  ASSERT_EQ(nodes.size(), 9u) << doc.dump();
  EXPECT_EQ(nodes[0]["marks"][0]["type"], "strong");
  EXPECT_EQ(nodes[2]["marks"][0]["type"], "em");
  EXPECT_EQ(nodes[4]["marks"][0]["type"], "code");
  EXPECT_EQ(nodes[6]["marks"][0]["type"], "strike");
  EXPECT_EQ(nodes[8]["marks"][0]["attrs"]["href"], "https://d.example.com");
  EXPECT_EQ(doc["content"][1]["type"], "bulletList");
  EXPECT_EQ(doc["content"][2]["type"], "orderedList");
  EXPECT_EQ(AdfToWikiExact(doc),
            "*bold* _em_ {{code}} -gone- [docs|https://d.example.com]\n* item\n# first");
}

TEST(JiraMarkdownTest, LiteralLookAlikesAreEscapedInWiki) {
  const json doc = TextToAdf("2 * 3 and *not bold*\n# not a list");
  const std::string wiki = AdfToWikiExact(doc);
  EXPECT_EQ(wiki, "2 \\* 3 and \\*not bold\\*\n\\# not a list");
  EXPECT_EQ(WikiToAdf(wiki), doc);
}

TEST(JiraMarkdownTest, AdfFromTheEditorBecomesMarkdown) {
  const json doc = json::parse(R"({"type":"doc","version":1,"content":[
    {"type":"paragraph","content":[
      {"type":"text","text":"Ask "},
      {"type":"mention","attrs":{"id":"5b10a2844c","text":"@Alice"}},
      {"type":"hardBreak"},
      {"type":"text","text":"now","marks":[{"type":"strong"},{"type":"em"}]}]},
    {"type":"orderedList","attrs":{"order":3},"content":[
      {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"c"}]}]}]},
    {"type":"panel","content":[{"type":"paragraph","content":[{"type":"text","text":"note"}]}]}]})");
  EXPECT_EQ(AdfToMarkdown(doc), "Ask @Alice\n_**now**_\n3. c\nnote");
  EXPECT_EQ(CommentMarkdown(json("h1. From *wiki*")), "# From **wiki**");
  EXPECT_EQ(CommentMarkdown(json(42)), "");
}

// Random text built from the subset's syntax, its near misses and plain
// characters (no backslashes, the one thing wiki cannot carry): both
// deployments give every sample back.
TEST(JiraMarkdownTest, RandomSamplesSurviveBothDeployments) {
  const std::vector<std::string> pieces = {
      "**bold**", "_em_", "`code`", "~~gone~~", "[docs](https://d.example.com)",
      "word", "a*b", "2 * 3", "_", "*", "-x-", "{{y}}", "[x|https://z.example]",
      "h1. ", "bq. ", "# ", "## ", "- ", "1. ", "2. ", "> ", "---", "----",
      "```", "{code}", " ", " ", "\n", "\n", "\n", "}", "]", "(", ")", "|", ".",
      "~", "`", "#", "[", "{"};
  std::mt19937 random(20261129);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 24);
  int formatted = 0;
  for (int sample = 0; sample < 5000; ++sample) {
    std::string markdown;
    for (int n = length(random); n > 0; --n) markdown += pieces[pick(random)];
    ASSERT_EQ(ThroughCloud(markdown), markdown);
    ASSERT_EQ(ThroughDataCenter(markdown), markdown);
    if (MarkdownToAdf(markdown).dump().find("marks") != std::string::npos) ++formatted;
  }
  // The samples do exercise formatting, not only literal text.
  EXPECT_GT(formatted, 1000);
}

}  // namespace
}  // namespace ferry::jira
