#include "tools/jira_sim/jql_lexer.h"

#include <cctype>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ferry::jira_sim {
namespace {

bool IsWordChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '-' || c == '.' ||
         u >= 0x80;
}

absl::Status ParseError(const std::string& what, int line, int position) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "Error in the JQL Query: %s (line %d, character %d)", what, line,
      position));
}

void AppendUtf8(unsigned code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

class Lexer {
 public:
  explicit Lexer(const std::string& jql) : jql_(jql) {}

  absl::StatusOr<std::vector<JqlToken>> Run() {
    std::vector<JqlToken> tokens;
    while (true) {
      SkipSpace();
      JqlToken token{JqlToken::Kind::kEnd, "", line_, Position()};
      if (i_ >= jql_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      char c = jql_[i_];
      char next = i_ + 1 < jql_.size() ? jql_[i_ + 1] : '\0';
      if (c == '"' || c == '\'') {
        absl::StatusOr<std::string> text = QuotedString(c);
        if (!text.ok()) return text.status();
        token.kind = JqlToken::Kind::kString;
        token.text = *std::move(text);
      } else if (c == '(' || c == ')' || c == ',') {
        token.kind = c == '(' ? JqlToken::Kind::kLParen
                     : c == ')' ? JqlToken::Kind::kRParen
                                : JqlToken::Kind::kComma;
        token.text = std::string(1, c);
        ++i_;
      } else if (c == '&' && next == '&') {
        token = {JqlToken::Kind::kAnd, "&&", line_, Position()};
        i_ += 2;
      } else if (c == '|' && next == '|') {
        token = {JqlToken::Kind::kOr, "||", line_, Position()};
        i_ += 2;
      } else if (c == '!' && next != '=' && next != '~') {
        token = {JqlToken::Kind::kNot, "!", line_, Position()};
        ++i_;
      } else if (c == '=' || c == '<' || c == '>' || c == '~' || c == '!') {
        bool two = (c == '!' || c == '<' || c == '>') && next == '=';
        size_t length = two || (c == '!' && next == '~') ? 2 : 1;
        token.kind = JqlToken::Kind::kOperator;
        token.text = jql_.substr(i_, length);
        i_ += length;
      } else if (IsWordChar(c)) {
        size_t start = i_;
        while (i_ < jql_.size() && IsWordChar(jql_[i_])) ++i_;
        if (i_ - start == 2 && absl::AsciiStrToUpper(jql_.substr(start, 2)) == "CF" &&
            i_ < jql_.size() && jql_[i_] == '[') {
          CustomFieldSuffix();  // cf[10010]: one word, brackets and all
        }
        token.text = jql_.substr(start, i_ - start);
        std::string upper = absl::AsciiStrToUpper(token.text);
        token.kind = upper == "AND"  ? JqlToken::Kind::kAnd
                     : upper == "OR" ? JqlToken::Kind::kOr
                     : upper == "NOT" ? JqlToken::Kind::kNot
                                      : JqlToken::Kind::kWord;
      } else {  // JQL's reserved characters (+ ; ? | * / % ^ $ # @ [ ] …)
        return ParseError(
            absl::StrFormat("The character '%c' is a reserved JQL character. "
                            "You must enclose it in a string or use the "
                            "escape '\\u%04x' instead.",
                            c, static_cast<unsigned char>(c)),
            line_, Position());
      }
      tokens.push_back(std::move(token));
    }
  }

 private:
  int Position() const { return static_cast<int>(i_ - line_start_) + 1; }

  // Consumes "[digits]" after "cf"; leaves a malformed suffix for the
  // reserved-character error.
  void CustomFieldSuffix() {
    size_t end = i_ + 1;
    while (end < jql_.size() && std::isdigit(static_cast<unsigned char>(jql_[end]))) {
      ++end;
    }
    if (end > i_ + 1 && end < jql_.size() && jql_[end] == ']') i_ = end + 1;
  }

  void SkipSpace() {
    while (i_ < jql_.size() &&
           std::isspace(static_cast<unsigned char>(jql_[i_]))) {
      if (jql_[i_] == '\n') {
        ++line_;
        line_start_ = i_ + 1;
      }
      ++i_;
    }
  }

  absl::StatusOr<std::string> QuotedString(char quote) {
    int line = line_;
    int position = Position();
    std::string out;
    ++i_;
    while (i_ < jql_.size() && jql_[i_] != quote) {
      char c = jql_[i_];
      if (c != '\\') {
        out.push_back(c);
        ++i_;
        continue;
      }
      if (i_ + 1 >= jql_.size()) break;
      char e = jql_[i_ + 1];
      i_ += 2;
      switch (e) {
        case '"': case '\'': case '\\': case ' ':
          out.push_back(e);
          break;
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'u': {
          unsigned code = 0;
          if (i_ + 4 > jql_.size() ||
              std::sscanf(jql_.substr(i_, 4).c_str(), "%4x", &code) != 1) {
            return ParseError("Illegal Unicode escape '\\u' found.", line_,
                              Position());
          }
          AppendUtf8(code, &out);
          i_ += 4;
          break;
        }
        default:
          return ParseError(
              absl::StrFormat("Illegal escape sequence '\\%c' found.", e),
              line_, Position() - 2);
      }
    }
    if (i_ >= jql_.size()) {
      return ParseError(
          absl::StrCat("Missing end quote on string starting at '", out,
                       "'."),
          line, position);
    }
    ++i_;  // closing quote
    return out;
  }

  const std::string& jql_;
  size_t i_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<JqlToken>> TokenizeJql(const std::string& jql) {
  return Lexer(jql).Run();
}

}  // namespace ferry::jira_sim
