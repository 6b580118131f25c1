#include "http/redactor.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

namespace ferry::http {
namespace {

constexpr absl::string_view kRedacted = "[REDACTED]";
constexpr size_t kMinCredentialLength = 8;

// Header names whose whole value is a credential; matched lower-case.
constexpr absl::string_view kHeaderMarkers[] = {"authorization:",
                                                "proxy-authorization:"};
// Authentication schemes followed by one credential token.
constexpr absl::string_view kSchemeMarkers[] = {"token token=", "bearer ",
                                                "basic "};

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         absl::string_view("-._~+/=").find(c) != absl::string_view::npos;
}

// absl::string_view is not std::string_view in this Abseil build, so
// std::string::find needs the pointer-and-size form.
size_t Find(const std::string& lower, absl::string_view marker, size_t from) {
  return lower.find(marker.data(), from, marker.size());
}

// Replaces text[begin, end) in `text` and its lower-case twin `lower`.
void ReplaceSpan(std::string& text, std::string& lower, size_t begin,
                 size_t end) {
  text.replace(begin, end - begin, kRedacted.data(), kRedacted.size());
  lower.replace(begin, end - begin, kRedacted.data(), kRedacted.size());
}

void ScrubHeaderValues(std::string& text, std::string& lower) {
  for (absl::string_view marker : kHeaderMarkers) {
    size_t at = Find(lower, marker, 0);
    while (at != std::string::npos) {
      size_t begin = at + marker.size();
      while (begin < text.size() && text[begin] == ' ') ++begin;
      const size_t end =
          std::min(text.find_first_of("\r\n", begin), text.size());
      if (end > begin) ReplaceSpan(text, lower, begin, end);
      at = Find(lower, marker, begin);
    }
  }
}

void ScrubSchemeCredentials(std::string& text, std::string& lower) {
  for (absl::string_view marker : kSchemeMarkers) {
    size_t at = Find(lower, marker, 0);
    while (at != std::string::npos) {
      const size_t begin = at + marker.size();
      size_t end = begin;
      while (end < text.size() && IsTokenChar(text[end])) ++end;
      if (end - begin >= kMinCredentialLength) {
        ReplaceSpan(text, lower, begin, end);
      }
      at = Find(lower, marker, begin);
    }
  }
}

// `text` as it appears in a URL query (RFC 3986 percent-encoding of every
// byte outside the unreserved set).
std::string PercentEncoded(absl::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
        absl::string_view("-._~").find(c) != absl::string_view::npos) {
      encoded.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      encoded.push_back('%');
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0xF]);
    }
  }
  return encoded;
}

}  // namespace

Redactor::Redactor(std::vector<std::string> secrets) {
  for (std::string& secret : secrets) {
    if (secret.empty()) continue;
    std::string encoded = PercentEncoded(secret);
    if (encoded != secret) secrets_.push_back(std::move(encoded));
    secrets_.push_back(std::move(secret));
  }
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() > b.size();
            });
}

std::string Redactor::Scrub(absl::string_view text) const {
  std::string scrubbed(text);
  for (const std::string& secret : secrets_) {
    absl::StrReplaceAll({{secret, kRedacted}}, &scrubbed);
  }
  std::string lower = absl::AsciiStrToLower(scrubbed);
  ScrubHeaderValues(scrubbed, lower);
  ScrubSchemeCredentials(scrubbed, lower);
  return scrubbed;
}

}  // namespace ferry::http
