#include "connectors/pagerduty/pd_comment_marker.h"

#include <openssl/sha.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace ferry::pagerduty {
namespace {

constexpr char kLegacyFooterPrefix[] = "\n\n-- ferry origin: ";
constexpr int kMarkerBytes = 6;  // 12 hex digits

std::string Marker(const std::string& origin) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(origin.data()), origin.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < kMarkerBytes; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return absl::StrCat("\n\n(ferry ", hex, ")");
}

}  // namespace

std::string WithOriginMarker(const std::string& body, const std::string& origin) {
  return absl::StrCat(body, Marker(origin));
}

bool CarriesOrigin(const std::string& text, const std::string& origin) {
  return absl::EndsWith(text, Marker(origin)) ||
         absl::EndsWith(text, absl::StrCat(kLegacyFooterPrefix, origin));
}

}  // namespace ferry::pagerduty
