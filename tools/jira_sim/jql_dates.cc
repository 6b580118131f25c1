#include "tools/jira_sim/jql_dates.h"

#include <cctype>
#include <cstdint>
#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ferry::jira_sim {
namespace {

absl::Status InvalidDate(const std::string& text, const std::string& field) {
  return absl::InvalidArgumentError(absl::StrCat(
      "Date value '", text, "' for field '", field,
      "' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', "
      "'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format "
      "e.g. '-5d', '4w 2d'."));
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Parses "yyyy-MM-dd[ HH:mm]" or "yyyy/MM/dd[ HH:mm]" into a civil minute;
// `has_time` tells which. Rejects dates that do not exist (2024-02-30).
bool ParseCivil(const std::string& s, absl::CivilMinute* out, bool* has_time) {
  int year, month, day, hour = 0, minute = 0, used = 0;
  char sep1, sep2;
  if (std::sscanf(s.c_str(), "%4d%c%2d%c%2d%n", &year, &sep1, &month, &sep2,
                  &day, &used) != 5 ||
      sep1 != sep2 || (sep1 != '-' && sep1 != '/') || used < 8) {
    return false;
  }
  std::string rest = s.substr(used);
  *has_time = !rest.empty();
  if (*has_time) {
    int tail = 0;
    if (std::sscanf(rest.c_str(), " %2d:%2d%n", &hour, &minute, &tail) != 2 ||
        static_cast<size_t>(tail) != rest.size() || hour > 23 || minute > 59) {
      return false;
    }
  }
  *out = absl::CivilMinute(year, month, day, hour, minute);
  return out->year() == year && out->month() == month && out->day() == day;
}

// Parses a period such as "-5m", "4w 2d", "+1h", "-5" (minutes).
bool ParsePeriod(const std::string& s, absl::Duration* out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  absl::Duration total;
  int parts = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i == s.size()) break;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    int64_t amount = 0;
    if (start == i || !absl::SimpleAtoi(s.substr(start, i - start), &amount)) {
      return false;
    }
    char unit = i < s.size() ? absl::ascii_tolower(s[i]) : 'm';
    if (i < s.size()) ++i;
    switch (unit) {
      case 'w': total += absl::Hours(24 * 7) * amount; break;
      case 'd': total += absl::Hours(24) * amount; break;
      case 'h': total += absl::Hours(amount); break;
      case 'm': total += absl::Minutes(amount); break;
      default: return false;
    }
    ++parts;
  }
  if (parts == 0) return false;
  *out = negative ? -total : total;
  return true;
}

}  // namespace

absl::StatusOr<JqlDateRange> ResolveJqlDate(const JqlOperand& value,
                                            const std::string& field,
                                            absl::TimeZone user_zone,
                                            absl::Time now) {
  const std::string& text = value.text;
  int64_t millis = 0;
  if (!value.quoted && AllDigits(text) && absl::SimpleAtoi(text, &millis)) {
    absl::Time at = absl::FromUnixMillis(millis);
    return JqlDateRange{at, at + absl::Milliseconds(1)};
  }
  absl::CivilMinute civil;
  bool has_time = false;
  if (ParseCivil(text, &civil, &has_time)) {
    absl::Time begin = absl::FromCivil(civil, user_zone);
    absl::Time end =
        has_time ? begin + absl::Minutes(1)
                 : absl::FromCivil(absl::CivilDay(civil) + 1, user_zone);
    return JqlDateRange{begin, end};
  }
  absl::Duration offset;
  if (ParsePeriod(text, &offset)) {
    absl::Time at = now + offset;
    return JqlDateRange{at, at + absl::Milliseconds(1)};
  }
  return InvalidDate(text, field);
}

}  // namespace ferry::jira_sim
