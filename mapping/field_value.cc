#include "mapping/field_value.h"

#include <cmath>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"

namespace ferry::mapping {
namespace {

using ferry::v1::FieldValue;

std::string NumberText(double number) {
  if (std::isfinite(number) && std::trunc(number) == number && std::fabs(number) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(number));
  }
  return absl::StrFormat("%.15g", number);
}

std::string TimeText(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", ToTime(ts), absl::UTCTimeZone());
}

std::string UserText(const ferry::v1::UserRef& user) {
  if (!user.name().empty()) return user.name();
  if (!user.email().empty()) return user.email();
  return user.id();
}

absl::Status CannotConvert(const FieldValue& value, FieldType to, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("cannot convert ", FieldTypeName(TypeOf(value)),
                                                 " value \"", ToText(value), "\" to ",
                                                 FieldTypeName(to), why));
}

}  // namespace

FieldType TypeOf(const FieldValue& value) {
  switch (value.kind_case()) {
    case FieldValue::kText: return FieldType::kText;
    case FieldValue::kNumber: return FieldType::kNumber;
    case FieldValue::kLookup: return FieldType::kLookup;
    case FieldValue::kUser: return FieldType::kUser;
    case FieldValue::kTime: return FieldType::kTime;
    case FieldValue::KIND_NOT_SET: break;
  }
  return FieldType::kAny;
}

bool IsEmpty(const FieldValue& value) { return value.kind_case() == FieldValue::KIND_NOT_SET; }

std::string ToText(const FieldValue& value) {
  switch (value.kind_case()) {
    case FieldValue::kText: return value.text();
    case FieldValue::kNumber: return NumberText(value.number());
    case FieldValue::kLookup: return value.lookup().name();
    case FieldValue::kUser: return UserText(value.user());
    case FieldValue::kTime: return TimeText(value.time());
    case FieldValue::KIND_NOT_SET: break;
  }
  return "";
}

bool CanConvert(FieldType from, FieldType to) {
  if (from == to || from == FieldType::kAny || to == FieldType::kAny) return true;
  switch (to) {
    case FieldType::kText: return true;
    case FieldType::kNumber: return from == FieldType::kText || from == FieldType::kLookup;
    case FieldType::kLookup: return from == FieldType::kText || from == FieldType::kNumber;
    case FieldType::kUser: return from == FieldType::kText;
    case FieldType::kTime: return from == FieldType::kText;
    case FieldType::kAny: return true;
  }
  return false;
}

absl::StatusOr<FieldValue> Convert(const FieldValue& value, FieldType to) {
  const FieldType from = TypeOf(value);
  if (IsEmpty(value) || to == FieldType::kAny) return value;
  if (!CanConvert(from, to)) return CannotConvert(value, to, "");
  FieldValue out;
  switch (to) {
    case FieldType::kText:
      out.set_text(ToText(value));
      return out;
    case FieldType::kNumber: {
      if (from == FieldType::kNumber) return value;
      double number = 0;
      if (!absl::SimpleAtod(absl::StripAsciiWhitespace(ToText(value)), &number)) {
        return CannotConvert(value, to, ": it is not a number");
      }
      out.set_number(number);
      return out;
    }
    case FieldType::kLookup:
      out.mutable_lookup()->set_name(ToText(value));
      return out;
    case FieldType::kUser: {
      ferry::v1::UserRef* user = out.mutable_user();
      if (from == FieldType::kUser) {
        user->set_name(value.user().name());
        user->set_email(value.user().email());
      } else if (absl::StrContains(value.text(), '@')) {
        user->set_email(value.text());
      } else {
        user->set_name(value.text());
      }
      return out;
    }
    case FieldType::kTime: {
      if (from == FieldType::kTime) return value;
      absl::Time t;
      std::string error;
      if (!absl::ParseTime(absl::RFC3339_full, ToText(value), &t, &error)) {
        return CannotConvert(value, to, ": expected an RFC 3339 time like 2026-11-29T17:30:42Z");
      }
      const int64_t seconds = absl::ToUnixSeconds(t);
      out.mutable_time()->set_seconds(seconds);
      out.mutable_time()->set_nanos(
          static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
      return out;
    }
    case FieldType::kAny: break;
  }
  return value;
}

std::string CanonicalForm(const FieldValue& value) {
  switch (value.kind_case()) {
    case FieldValue::kText: return absl::StrCat("t:", value.text());
    case FieldValue::kNumber: return absl::StrCat("n:", NumberText(value.number()));
    case FieldValue::kLookup: return absl::StrCat("l:", value.lookup().name());
    case FieldValue::kUser: {
      const ferry::v1::UserRef& user = value.user();
      if (!user.email().empty()) return absl::StrCat("u:", absl::AsciiStrToLower(user.email()));
      return absl::StrCat("u:", user.name());
    }
    case FieldValue::kTime:
      return absl::StrCat("m:", value.time().seconds(), ".", value.time().nanos());
    case FieldValue::KIND_NOT_SET: break;
  }
  return "";
}

uint64_t Fingerprint(const FieldValue& value) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis
  for (unsigned char c : CanonicalForm(value)) {
    hash ^= c;
    hash *= 1099511628211ull;  // FNV-1a 64 prime
  }
  return hash;
}

bool MatchesText(const FieldValue& value, absl::string_view wanted) {
  switch (value.kind_case()) {
    case FieldValue::kLookup:
      return absl::EqualsIgnoreCase(value.lookup().name(), wanted) ||
             (!value.lookup().id().empty() && absl::EqualsIgnoreCase(value.lookup().id(), wanted));
    case FieldValue::kUser: {
      const ferry::v1::UserRef& user = value.user();
      return (!user.id().empty() && absl::EqualsIgnoreCase(user.id(), wanted)) ||
             (!user.email().empty() && absl::EqualsIgnoreCase(user.email(), wanted)) ||
             (!user.name().empty() && absl::EqualsIgnoreCase(user.name(), wanted));
    }
    default:
      return absl::EqualsIgnoreCase(ToText(value), wanted);
  }
}

absl::Time ToTime(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

FieldValue TextValue(absl::string_view text) {
  FieldValue value;
  value.set_text(std::string(text));
  return value;
}

FieldValue LookupName(absl::string_view name) {
  FieldValue value;
  value.mutable_lookup()->set_name(std::string(name));
  return value;
}

std::string TruncateUtf8(absl::string_view text, size_t max_chars) {
  if (max_chars == 0 || text.size() <= max_chars) return std::string(text);
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // Count lead bytes only; continuation bytes are 10xxxxxx.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return std::string(text.substr(0, i));
      ++chars;
    }
  }
  return std::string(text);
}

}  // namespace ferry::mapping
