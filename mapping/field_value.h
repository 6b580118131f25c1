#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "mapping/system_schema.h"
#include "proto/entity.pb.h"

namespace ferry::mapping {

// Pure helpers over ferry.v1.FieldValue. All are deterministic and
// thread-safe.

// The kind of value set in `value`; kAny when it is empty (cleared).
FieldType TypeOf(const ferry::v1::FieldValue& value);

// True when no kind is set: the field is empty.
bool IsEmpty(const ferry::v1::FieldValue& value);

// The value as text people read: text as is, numbers without a trailing
// ".0" ("1042", "2.5"), a lookup's name, a user's name (else e-mail, else
// id), a time in RFC 3339 UTC ("2026-11-29T17:30:42Z"); "" when empty.
std::string ToText(const ferry::v1::FieldValue& value);

// Whether a value of type `from` can become a `to` at all (some pairs, like
// text → number, may still fail for a particular value).
bool CanConvert(FieldType from, FieldType to);

// `value` as a value of type `to`:
//   - to text: ToText; text → number parses it; text → lookup is a value
//     name; text → user is an e-mail when it holds '@', else a name;
//     text → time parses RFC 3339; number → lookup uses its text.
//   - to user: the id is always dropped, since ids never cross systems;
//     the writer resolves users by e-mail or name.
//   - to lookup: the id is dropped for the same reason; value maps match
//     and produce names.
// Empty stays empty. Fails with InvalidArgument naming the value and both
// types when the pair cannot convert or the text does not parse.
absl::StatusOr<ferry::v1::FieldValue> Convert(const ferry::v1::FieldValue& value, FieldType to);

// The form two values are compared in: a kind tag plus the text form,
// where lookups compare by name and users by lower-cased e-mail (else name),
// because ids differ between a value Ferry maps and the one the end system
// returns. Equal canonical forms mean "the same value" for echo and
// conflict detection.
std::string CanonicalForm(const ferry::v1::FieldValue& value);

// A 64-bit FNV-1a hash of CanonicalForm. Stable across processes and
// versions (it is stored in the link table); never change the algorithm.
uint64_t Fingerprint(const ferry::v1::FieldValue& value);

// Whether `value` equals `wanted` the way criteria and lookups compare:
// case-insensitively against the text, a lookup's id or name, or a user's
// id, e-mail or name.
bool MatchesText(const ferry::v1::FieldValue& value, absl::string_view wanted);

// `ts` as an absl::Time.
absl::Time ToTime(const google::protobuf::Timestamp& ts);

// Convenience constructors.
ferry::v1::FieldValue TextValue(absl::string_view text);
ferry::v1::FieldValue LookupName(absl::string_view name);

// Cuts `text` to at most `max_chars` Unicode code points (UTF-8); 0 means
// no limit. Never splits a multi-byte character.
std::string TruncateUtf8(absl::string_view text, size_t max_chars);

}  // namespace ferry::mapping
