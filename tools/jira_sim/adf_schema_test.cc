#include "tools/jira_sim/adf_schema.h"

#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

#include "gtest/gtest.h"
#include "tools/jira_sim/rich_text.h"

namespace ferry::jira_sim {
namespace {

using json = nlohmann::json;

json Doc(const json& content) {
  return {{"type", "doc"}, {"version", 1}, {"content", content}};
}

json Para(const json& content) { return {{"type", "paragraph"}, {"content", content}}; }

TEST(AdfSchemaTest, DocumentsOfEveryKnownNodeAndMarkPass) {
  const json doc = json::parse(R"({"type":"doc","version":1,"content":[
    {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Impact"}]},
    {"type":"paragraph"},
    {"type":"paragraph","content":[
      {"type":"text","text":"bold","marks":[{"type":"strong"},{"type":"em"}]},
      {"type":"hardBreak"},
      {"type":"text","text":"run","marks":[{"type":"code"},
        {"type":"link","attrs":{"href":"https://x"}}]},
      {"type":"text","text":"2","marks":[{"type":"subsup","attrs":{"type":"sup"}}]},
      {"type":"mention","attrs":{"id":"5b10a284","text":"@Alice"}},
      {"type":"emoji","attrs":{"shortName":":fire:"}},
      {"type":"inlineCard","attrs":{"url":"https://x/y"}},
      {"type":"status","attrs":{"text":"DONE","color":"green"}}]},
    {"type":"bulletList","content":[{"type":"listItem","content":[
      {"type":"paragraph","content":[{"type":"text","text":"a"}]},
      {"type":"orderedList","attrs":{"order":3},"content":[{"type":"listItem","content":[
        {"type":"paragraph","content":[{"type":"text","text":"b"}]}]}]}]}]},
    {"type":"blockquote","content":[{"type":"paragraph","content":[]}]},
    {"type":"codeBlock","attrs":{"language":"bash"},"content":[{"type":"text","text":"ls"}]},
    {"type":"codeBlock"},
    {"type":"rule"}]})");
  EXPECT_TRUE(ValidateAdfDetail(doc).ok()) << ValidateAdfDetail(doc);
  EXPECT_TRUE(ValidateAdf(doc).ok());
}

// What real Cloud refuses with 400 {"errorMessages":["INVALID_INPUT"]}.
TEST(AdfSchemaTest, BrokenDocumentsAreInvalidInput) {
  const json text = {{"type", "text"}, {"text", "x"}};
  auto refused = [](const char* why, const json& document, const char* detail) {
    absl::Status found = ValidateAdfDetail(document);
    EXPECT_FALSE(found.ok()) << why;
    EXPECT_NE(found.message().find(detail), absl::string_view::npos) << why << ": " << found;
    EXPECT_EQ(ValidateAdf(document), absl::InvalidArgumentError("INVALID_INPUT")) << why;
  };
  auto marked = [](const json& marks) {
    json node = {{"type", "text"}, {"text", "x"}};
    node["marks"] = marks;
    return Doc(json::array({Para(json::array({node}))}));
  };
  refused("empty text",
          Doc(json::parse(R"([{"type":"paragraph","content":[{"type":"text","text":""}]}])")),
          "must not be empty");
  refused("unknown node", Doc(json::parse(R"([{"type":"fancyBlock"}])")),
          "'fancyBlock' is not allowed");
  refused("unknown mark", marked(json::parse(R"([{"type":"blink"}])")), "unknown mark 'blink'");
  refused("mark twice", marked(json::parse(R"([{"type":"em"},{"type":"em"}])")),
          "the same mark twice");
  refused("code with strong", marked(json::parse(R"([{"type":"code"},{"type":"strong"}])")),
          "does not combine");
  refused("link without href", marked(json::parse(R"([{"type":"link"}])")), "attrs.href");
  refused("text at the top", Doc(json::array({text})), "'text' is not allowed");
  refused("heading without level",
          Doc(json::parse(R"([{"type":"heading","content":[{"type":"text","text":"x"}]}])")),
          "level");
  refused("heading level 7",
          Doc(json::parse(R"([{"type":"heading","attrs":{"level":7}}])")), "level");
  refused("empty list", Doc(json::parse(R"([{"type":"bulletList","content":[]}])")),
          "must not be empty");
  refused("paragraph in a list",
          Doc(json::parse(R"([{"type":"bulletList","content":[{"type":"paragraph"}]}])")),
          "'paragraph' is not allowed");
  refused("heading in a quote",
          Doc(json::parse(
              R"([{"type":"blockquote","content":[{"type":"heading","attrs":{"level":1}}]}])")),
          "'heading' is not allowed");
  refused("marked code",
          Doc(json::parse(R"([{"type":"codeBlock","content":[
              {"type":"text","text":"x","marks":[{"type":"em"}]}]}])")),
          "takes no marks");
  refused("rule with content",
          Doc(json::parse(R"([{"type":"rule","content":[{"type":"text","text":"x"}]}])")),
          "no content");
  refused("mention without id", Doc(json::parse(R"([{"type":"paragraph","content":[
              {"type":"mention"}]}])")),
          "attrs.id");
  refused("version 2", json::parse(R"({"type":"doc","version":2,"content":[]})"), "version");
  refused("stray member", json::parse(R"({"type":"doc","version":1,"content":[],"x":1})"),
          "unknown member");
}

// The simulator's own wiki -> ADF (what Cloud reads give) is valid ADF for
// any wiki: random lines of markup characters and words.
TEST(AdfSchemaTest, TheSimulatorsWikiRenderingIsAlwaysValid) {
  const std::string pieces[] = {"*", "_", "-", "+", "{{", "}}", "[", "]", "|", "x",
                                "word", " ", "https://x/y", "h1. ", "h7. ", "* ",
                                "# ", "----", "{code}", "{code:sh}", "{quote}",
                                "[~accountid:5b]", "\n", "\n\n", "~"};
  std::mt19937 random(16);
  std::uniform_int_distribution<size_t> pick(0, std::size(pieces) - 1);
  std::uniform_int_distribution<int> length(0, 14);
  for (int sample = 0; sample < 5000; ++sample) {
    std::string wiki;
    for (int n = length(random); n > 0; --n) wiki += pieces[pick(random)];
    const json adf = WikiToAdf(wiki);
    absl::Status valid = ValidateAdfDetail(adf);
    ASSERT_TRUE(valid.ok()) << "wiki: " << json(wiki).dump() << "\n" << valid << "\n"
                            << adf.dump();
  }
}

}  // namespace
}  // namespace ferry::jira_sim
