#include "connectors/jira/jira_markdown.h"

#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "connectors/jira/jira_wiki.h"
#include "gtest/gtest.h"
#include "tools/jira_sim/adf_schema.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

// Markdown as Cloud stores it (ADF) and as Data Center stores it (wiki),
// read back.
std::string ThroughCloud(const std::string& markdown) {
  return CommentMarkdown(MarkdownToAdf(markdown));
}
std::string ThroughDataCenter(const std::string& markdown) {
  return CommentMarkdown(json(MarkdownWikiExact(MarkdownToAdf(markdown))));
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

// CommonMark's tree carries what a hand parser did not: lists inside
// lists, marks inside marks, a fence's language, a list starting at 3.
TEST(JiraMarkdownTest, NestedListsAndMarksConvert) {
  const std::string markdown =
      "3. three\n4. four\n\n- top\n  - nested **bold _and em_**\n"
      "  - [**bold link**](https://x.example)\n\n```sh\nls -l\n```";
  const json doc = MarkdownToAdf(markdown);
  ASSERT_EQ(doc["content"].size(), 5u) << doc.dump();
  const json& outer = doc["content"][2];
  EXPECT_EQ(outer["type"], "bulletList");
  const json& inner = outer["content"][0]["content"][1];
  ASSERT_EQ(inner["type"], "bulletList") << outer.dump();
  const json& nested = inner["content"][0]["content"][0]["content"];
  EXPECT_EQ(nested, json::parse(R"([
    {"type":"text","text":"nested "},
    {"type":"text","text":"bold ","marks":[{"type":"strong"}]},
    {"type":"text","text":"and em","marks":[{"type":"strong"},{"type":"em"}]}])"));
  EXPECT_EQ(inner["content"][1]["content"][0]["content"][0]["marks"],
            json::parse(R"([{"type":"link","attrs":{"href":"https://x.example"}},
                            {"type":"strong"}])"));
  EXPECT_EQ(doc["content"][0]["attrs"]["order"], 3);
  EXPECT_EQ(doc["content"][4]["attrs"]["language"], "sh");
  EXPECT_TRUE(jira_sim::ValidateAdfDetail(doc).ok()) << jira_sim::ValidateAdfDetail(doc);
  EXPECT_EQ(AdfToMarkdown(doc), markdown);
  // Data Center's wiki cannot start a list at 3 nor name a code block's
  // language: the note goes as its Markdown.
  EXPECT_EQ(ThroughDataCenter(markdown), markdown);
}

// Nested lists and marks are wiki too: Data Center gets them formatted,
// not as Markdown text.
TEST(JiraMarkdownTest, NestingIsWikiOnDataCenter) {
  EXPECT_EQ(MarkdownWikiExact(MarkdownToAdf("**bold _and em_** [**b**](https://x.example)")),
            "*bold _and em_* [*b*|https://x.example]");
  const std::string markdown = "- top\n  - nested\n    - deeper\n1. one\n   - mixed";
  const json doc = MarkdownToAdf(markdown);
  EXPECT_EQ(MarkdownWikiExact(doc), "* top\n** nested\n*** deeper\n# one\n#* mixed");
  EXPECT_EQ(ThroughDataCenter(markdown), markdown);
  EXPECT_EQ(ThroughCloud(markdown), markdown);
}

// Other spellings of the same formatting, and what ADF cannot hold, stay
// literal text block by block, so the note still comes back as written.
TEST(JiraMarkdownTest, OtherSpellingsStayLiteralBlockByBlock) {
  const std::string markdown =
      "*star em* and &amp;\n\n**kept**\n\n\n* star item\n![img](https://i.example/a.png)";
  const json doc = MarkdownToAdf(markdown);
  EXPECT_EQ(AdfToMarkdown(doc), markdown);
  EXPECT_EQ(doc["content"][0], json::parse(R"({"type":"paragraph","content":[
      {"type":"text","text":"*star em* and &amp;"}]})"));
  EXPECT_EQ(doc["content"][2]["content"][0]["marks"][0]["type"], "strong") << doc.dump();
  EXPECT_EQ(doc.dump().find("\"image\""), std::string::npos);
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
  EXPECT_EQ(AdfToMarkdown(doc), "Ask @Alice\n**_now_**\n3. c\nnote");
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
      "~", "`", "#", "[", "{", "!", "+", "^", "??", "[|https://u.example]"};
  std::mt19937 random(20261129);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 24);
  int formatted = 0;
  for (int sample = 0; sample < 5000; ++sample) {
    std::string markdown;
    for (int n = length(random); n > 0; --n) markdown += pieces[pick(random)];
    // Through Cloud (ADF) and through Data Center (wiki), read back.
    const json converted = MarkdownToAdf(markdown);
    ASSERT_EQ(CommentMarkdown(converted), markdown);
    ASSERT_EQ(CommentMarkdown(json(MarkdownWikiExact(converted))), markdown);
    // What Ferry sends to Cloud is ADF that Cloud accepts, from every
    // source format.
    for (const json& adf : {converted, WikiToAdf(markdown), TextToAdf(markdown)}) {
      absl::Status valid = jira_sim::ValidateAdfDetail(adf);
      ASSERT_TRUE(valid.ok()) << json(markdown).dump() << ": " << valid << "\n" << adf.dump();
    }
    // Plain text sent to Data Center has every markup character escaped.
    const std::string wiki = AdfToWikiExact(TextToAdf(markdown));
    for (size_t i = 0; i < wiki.size(); ++i) {
      const bool escaped = i > 0 && wiki[i - 1] == '\\';
      const bool markup = absl::string_view("*_-+^~!|{[").find(wiki[i]) != absl::string_view::npos ||
                          (wiki[i] == '?' && i + 1 < wiki.size() && wiki[i + 1] == '?');
      ASSERT_TRUE(!markup || escaped) << json(markdown).dump() << " as " << json(wiki).dump();
    }
    if (converted.dump().find("marks") != std::string::npos) ++formatted;
  }
  // The samples do exercise formatting, not only literal text.
  EXPECT_GT(formatted, 1000);
}

}  // namespace
}  // namespace ferry::jira
