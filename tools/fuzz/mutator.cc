#include "tools/fuzz/mutator.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <utility>

namespace ferry::fuzz {
namespace {

// Numbers that find off-by-ones, sign and overflow bugs in parsers.
constexpr const char* kInterestingNumbers[] = {
    "0", "-1", "1", "255", "256", "65536", "2147483647", "-2147483648",
    "4294967296", "9223372036854775807", "-9223372036854775809",
    "18446744073709551616", "1e308", "-1e400", "0.000001", "NaN"};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The unescaped value between the quotes of one dictionary line; false
// when the line holds none.
bool ParseDictionaryLine(const std::string& line, std::string& token) {
  const size_t open = line.find('"');
  const size_t close = line.rfind('"');
  if (open == std::string::npos || close <= open) return false;
  token.clear();
  for (size_t i = open + 1; i < close; ++i) {
    if (line[i] != '\\') {
      token.push_back(line[i]);
      continue;
    }
    if (i + 1 >= close) return false;
    const char escaped = line[++i];
    if (escaped == 'x') {
      if (i + 2 >= close) return false;
      const int high = HexValue(line[i + 1]), low = HexValue(line[i + 2]);
      if (high < 0 || low < 0) return false;
      token.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      token.push_back(escaped);
    }
  }
  return !token.empty();
}

}  // namespace

Mutator::Mutator(uint64_t seed, std::vector<std::string> corpus,
                 std::vector<std::string> dictionary, size_t max_size)
    : random_(seed),
      corpus_(corpus.empty() ? std::vector<std::string>{""} : std::move(corpus)),
      dictionary_(std::move(dictionary)),
      max_size_(max_size) {}

size_t Mutator::Below(size_t bound) {
  if (bound == 0) return 0;
  return std::uniform_int_distribution<size_t>(0, bound - 1)(random_);
}

const std::string& Mutator::Token() {
  static const std::string kNone;
  if (dictionary_.empty()) return kNone;
  return dictionary_[Below(dictionary_.size())];
}

std::string Mutator::Next() {
  // A quarter of the time the last output mutates further, so mutations
  // can pile up beyond four without a coverage signal to keep them.
  std::string data = !previous_.empty() && Below(4) == 0
                         ? previous_
                         : corpus_[Below(corpus_.size())];
  const size_t count = 1 + Below(4);
  for (size_t i = 0; i < count; ++i) MutateOnce(data);
  if (data.size() > max_size_) data.resize(max_size_);
  previous_ = data;
  return data;
}

void Mutator::MutateOnce(std::string& data) {
  const size_t at = Below(data.size() + 1);  // a position, end included
  switch (Below(10)) {
    case 0:  // flip one bit
      if (!data.empty()) data[Below(data.size())] ^= static_cast<char>(1 << Below(8));
      break;
    case 1:  // one random byte, or a byte parsers treat specially
      if (!data.empty()) {
        static constexpr char kSpecial[] = {'\0', '\xff', '\x80', '\n', '"', '\\', '{', '['};
        data[Below(data.size())] = Below(2) == 0 ? static_cast<char>(Below(256))
                                                 : kSpecial[Below(sizeof(kSpecial))];
      }
      break;
    case 2:  // insert random bytes
      data.insert(at, std::string(1 + Below(8), static_cast<char>(Below(256))));
      break;
    case 3:  // erase a range
      data.erase(at, 1 + Below(16));
      break;
    case 4:  // duplicate a range in place (deep nesting, repeated keys)
      if (!data.empty()) {
        const size_t from = Below(data.size());
        const std::string range = data.substr(from, 1 + Below(64));
        for (size_t n = 1 + Below(8); n > 0; --n) data.insert(from, range);
      }
      break;
    case 5:  // insert a dictionary token
      data.insert(at, Token());
      break;
    case 6: {  // overwrite with a dictionary token
      const std::string& token = Token();
      data.replace(at, token.size(), token);
      break;
    }
    case 7: {  // splice: our head, another corpus entry's tail
      const std::string& other = corpus_[Below(corpus_.size())];
      data = data.substr(0, at) + other.substr(Below(other.size() + 1));
      break;
    }
    case 8: {  // a digit run becomes a boundary number
      const size_t digit = data.find_first_of("0123456789", at);
      if (digit == std::string::npos) break;
      size_t end = digit;
      while (end < data.size() && std::isdigit(static_cast<unsigned char>(data[end]))) ++end;
      data.replace(digit, end - digit,
                   kInterestingNumbers[Below(std::size(kInterestingNumbers))]);
      break;
    }
    default:  // truncate
      data.resize(at);
      break;
  }
}

std::vector<std::string> ParseDictionary(const std::string& text) {
  std::vector<std::string> tokens;
  std::istringstream lines(text);
  std::string line, token;
  while (std::getline(lines, line)) {
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (ParseDictionaryLine(line, token)) tokens.push_back(token);
  }
  return tokens;
}

}  // namespace ferry::fuzz
