#include "connectors/jira/jira_text.h"

#include "gtest/gtest.h"

namespace ferry::jira {
namespace {

using json = nlohmann::json;

TEST(JiraTextTest, PlainTextSurvivesARoundTrip) {
  for (const char* text : {"", "one line", "two\nlines", "gap\n\nbetween",
                           "*wiki* stays literal\n{code}x{code}"}) {
    EXPECT_EQ(AdfToText(TextToAdf(text)), text);
  }
}

TEST(JiraTextTest, AdfIsOneParagraphPerLine) {
  json doc = TextToAdf("a\n\nb");
  EXPECT_EQ(doc["type"], "doc");
  EXPECT_EQ(doc["version"], 1);
  ASSERT_EQ(doc["content"].size(), 3u);
  EXPECT_EQ(doc["content"][0]["content"][0]["text"], "a");
  EXPECT_TRUE(doc["content"][1]["content"].empty());
}

TEST(JiraTextTest, RicherDocumentsKeepTheirText) {
  json doc = json::parse(R"({"type":"doc","version":1,"content":[
    {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Status"}]},
    {"type":"paragraph","content":[
      {"type":"text","text":"Ask "},
      {"type":"mention","attrs":{"id":"abc","text":"@Alice"}},
      {"type":"text","text":" now","marks":[{"type":"strong"}]},
      {"type":"hardBreak"},
      {"type":"inlineCard","attrs":{"url":"https://status.example.com"}}]},
    {"type":"bulletList","content":[
      {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]}]}]})");
  EXPECT_EQ(AdfToText(doc),
            "Status\nAsk @Alice now\nhttps://status.example.com\none");
}

TEST(JiraTextTest, WikiStringsPassThrough) {
  EXPECT_EQ(AdfToText(json("h1. Title")), "h1. Title");
  EXPECT_EQ(AdfToText(json(42)), "");
}

}  // namespace
}  // namespace ferry::jira
