#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ferry::fuzz {

// Deterministic, coverage-blind mutations of fuzz inputs, for the bounded
// pass every fuzz test runs in CI (replay_main.cc). The same seed, corpus
// and dictionary give the same sequence of inputs on every machine, so a
// failure found in CI is found again by rerunning the test.
//
// Not thread-safe (one per thread).
class Mutator {
 public:
  // `corpus` are the seed inputs (splice partners); `dictionary` tokens
  // are inserted or overwritten whole ("{", "\"id\":", "AND"); outputs
  // never exceed `max_size` bytes.
  Mutator(uint64_t seed, std::vector<std::string> corpus,
          std::vector<std::string> dictionary, size_t max_size);

  // A new input: one corpus entry (or, now and then, the previous output)
  // with one to four stacked mutations: bit flips, random or interesting
  // bytes, inserted and erased ranges, duplicated ranges, dictionary
  // tokens, splices with another corpus entry, digit runs replaced by
  // boundary numbers, truncation.
  std::string Next();

 private:
  void MutateOnce(std::string& data);
  size_t Below(size_t bound);  // uniform in [0, bound); 0 when bound is 0
  const std::string& Token();

  std::mt19937_64 random_;
  const std::vector<std::string> corpus_;
  const std::vector<std::string> dictionary_;
  const size_t max_size_;
  std::string previous_;
};

// Tokens of a libFuzzer dictionary file's text: one `name="value"` or
// `"value"` per line, `#` comments, escapes \\ \" and \xNN. Lines that do
// not parse are skipped.
std::vector<std::string> ParseDictionary(const std::string& text);

}  // namespace ferry::fuzz
