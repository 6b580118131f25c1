#include "tools/fuzz/mutator.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace ferry::fuzz {
namespace {

std::vector<std::string> Outputs(uint64_t seed, int count, size_t max_size = 64) {
  Mutator mutator(seed, {"{\"id\": \"P1\", \"more\": false}", "[1, 2, 3]"},
                  {"\"incident\":", "null"}, max_size);
  std::vector<std::string> outputs;
  for (int i = 0; i < count; ++i) outputs.push_back(mutator.Next());
  return outputs;
}

TEST(MutatorTest, TheSameSeedGivesTheSameInputs) {
  EXPECT_EQ(Outputs(7, 200), Outputs(7, 200));
  EXPECT_NE(Outputs(7, 200), Outputs(8, 200));
}

TEST(MutatorTest, InputsStayWithinMaxSizeAndDiffer) {
  const std::vector<std::string> outputs = Outputs(1, 2000, 16);
  size_t changed = 0;
  for (const std::string& output : outputs) {
    EXPECT_LE(output.size(), 16u);
    if (output != "{\"id\": \"P1\", \"m" && output != "[1, 2, 3]") ++changed;
  }
  EXPECT_GT(changed, outputs.size() / 2);
}

TEST(MutatorTest, DictionaryTokensAreUsed) {
  size_t with_token = 0;
  for (const std::string& output : Outputs(3, 2000)) {
    if (output.find("\"incident\":") != std::string::npos) ++with_token;
  }
  EXPECT_GT(with_token, 0u);
}

TEST(MutatorTest, AnEmptyCorpusStillGivesInputs) {
  Mutator mutator(1, {}, {"abc"}, 32);
  bool non_empty = false;
  for (int i = 0; i < 100; ++i) non_empty |= !mutator.Next().empty();
  EXPECT_TRUE(non_empty);
}

TEST(ParseDictionaryTest, ReadsLibFuzzerDictionaryLines) {
  EXPECT_EQ(ParseDictionary("# comment\n"
                            "kw1=\"AND\"\n"
                            "\"a\\\"b\\\\c\"\n"
                            "  \"\\x0a\\xC3\"\n"
                            "broken\n"
                            "\"\\xZZ\"\n"
                            "\"\"\n"),
            (std::vector<std::string>{"AND", "a\"b\\c", "\n\xc3"}));
}

}  // namespace
}  // namespace ferry::fuzz
