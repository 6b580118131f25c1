#include "connectors/query/url_query_dialect.h"

#include "absl/strings/ascii.h"

namespace ferry::query {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string UrlQueryDialect::EscapeValue(absl::string_view value) const {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

std::string UrlQueryDialect::DecodeValue(absl::string_view written) const {
  std::string out;
  for (size_t i = 0; i < written.size(); ++i) {
    if (written[i] == '+') {
      out.push_back(' ');
    } else if (written[i] == '%' && i + 2 < written.size() && HexDigit(written[i + 1]) >= 0 &&
               HexDigit(written[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(written[i + 1]) * 16 + HexDigit(written[i + 2])));
      i += 2;
    } else {
      out.push_back(written[i]);
    }
  }
  return out;
}

}  // namespace ferry::query
