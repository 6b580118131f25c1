#include "engine/config/yaml_proto.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "engine/config/system_options.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "yaml-cpp/yaml.h"

namespace ferry::config {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using nlohmann::json;

constexpr absl::string_view kDuration = "google.protobuf.Duration";
constexpr absl::string_view kTimestamp = "google.protobuf.Timestamp";
constexpr absl::string_view kSecretRef = "ferry.v1.SecretRef";

// Edit distance, for "did you mean".
size_t Distance(absl::string_view a, absl::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// The common "PREFIX_" of an enum's value names ("SYNC_WHEN_"), which
// people may leave out.
std::string EnumPrefix(const EnumDescriptor& type) {
  std::string prefix = type.value(0)->name();
  for (int i = 1; i < type.value_count(); ++i) {
    const std::string& name = type.value(i)->name();
    size_t n = 0;
    while (n < prefix.size() && n < name.size() && prefix[n] == name[n]) ++n;
    prefix.resize(n);
  }
  const size_t cut = prefix.rfind('_');
  return cut == std::string::npos ? "" : prefix.substr(0, cut + 1);
}

std::string KindOf(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

// A problem with the file as a whole, or at a place no field path names.
ferry::v1::ConfigProblem FileProblem(absl::string_view file_name,
                                     SourcePosition position,
                                     absl::string_view message,
                                     absl::string_view fix) {
  ferry::v1::ConfigProblem problem;
  problem.set_file(std::string(file_name));
  problem.set_line(position.line);
  problem.set_column(position.column);
  problem.set_message(std::string(message));
  problem.set_fix(std::string(fix));
  return problem;
}

// The length of the UTF-8 sequence `text` starts with, or 0 when it does
// not start with a valid one (a stray continuation byte, an overlong form,
// a surrogate, a code point past U+10FFFF, or a cut-off sequence). From
// the table of well-formed sequences in the Unicode standard (chapter 3).
size_t Utf8SequenceLength(absl::string_view text) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char second_min = 0x80, second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;
    if (lead == 0xED) second_max = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;
    if (lead == 0xF4) second_max = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  if (byte(1) < second_min || byte(1) > second_max) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

// The first invalid UTF-8 sequence of `text`, as a problem at its line and
// column (counted in characters, as an editor shows it); nullopt when all
// of `text` is valid.
std::optional<ferry::v1::ConfigProblem> FindInvalidUtf8(
    absl::string_view text, absl::string_view file_name) {
  SourcePosition position{1, 1};
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text.substr(i));
    if (length == 0) {
      const unsigned char lead = static_cast<unsigned char>(text[i]);
      const bool starts_sequence = lead >= 0xC2 && lead <= 0xF4;
      return FileProblem(
          file_name, position,
          absl::StrCat("invalid UTF-8 (byte ", absl::StrFormat("0x%02X", lead),
                       starts_sequence
                           ? " not followed by a valid continuation byte)"
                           : " cannot start a character)"),
          "save the file as UTF-8");
    }
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
    i += length;
  }
  return std::nullopt;
}

class Reader {
 public:
  Reader(absl::string_view file, SourceMap* sources,
         std::vector<ferry::v1::ConfigProblem>* problems)
      : file_(file), sources_(sources), problems_(problems) {}

  // The JSON form of a message written as `node`.
  json Message(const YAML::Node& node, const Descriptor& type,
               const std::string& path) {
    json out = json::object();
    if (node.IsNull()) return out;
    if (!node.IsMap()) {
      Problem(path, absl::StrCat("expected a mapping of fields of ",
                                 type.name(), ", found ", KindOf(node)),
              absl::StrCat("write the fields as `name: value` lines under ",
                           path.empty() ? "the top of the file" : path));
      return out;
    }
    std::vector<const google::protobuf::OneofDescriptor*> oneofs_set;
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      const FieldDescriptor* field = type.FindFieldByName(key);
      if (field == nullptr) field = type.FindFieldByCamelcaseName(key);
      if (field == nullptr) {
        const std::string field_path =
            path.empty() ? key : absl::StrCat(path, ".", key);
        if (!Visit(field_path, entry.first)) break;
        UnknownField(key, type, field_path);
        continue;
      }
      // Paths use the proto's field names, however the file spelled them,
      // and point at the value (at the key when there is none).
      const std::string canonical_path =
          path.empty() ? field->name()
                       : absl::StrCat(path, ".", field->name());
      if (entry.second.IsNull()) {  // `field:` with no value.
        if (!Visit(canonical_path, entry.first)) break;
        continue;
      }
      if (!Visit(canonical_path, entry.second)) break;
      if (const auto* oneof = field->containing_oneof()) {
        if (std::find(oneofs_set.begin(), oneofs_set.end(), oneof) !=
            oneofs_set.end()) {
          Problem(canonical_path,
                  absl::StrCat("only one of ", OneofMembers(*oneof),
                               " may be set"),
                  "keep one of them and remove the others");
          continue;
        }
        oneofs_set.push_back(oneof);
      }
      if (field == SystemOptionsField() &&
          ReadTypedOptions(node, entry.second, canonical_path, &out)) {
        continue;
      }
      out[field->json_name()] = Field(entry.second, *field, canonical_path);
    }
    return out;
  }

  // Whether the walk stopped at kMaxConfigNodes, leaving the rest unread.
  bool stopped() const { return nodes_read_ > kMaxConfigNodes; }

 private:
  json Field(const YAML::Node& node, const FieldDescriptor& field,
             const std::string& path) {
    if (field.is_map()) return Map(node, field, path);
    if (!field.is_repeated()) return Value(node, field, path);
    if (!node.IsSequence()) {
      Problem(path, absl::StrCat("expected a list, found ", KindOf(node)),
              absl::StrCat("write each item of ", field.name(),
                           " on its own line starting with `- `"));
      return json::array();
    }
    json out = json::array();
    for (size_t i = 0; i < node.size(); ++i) {
      const std::string item_path = absl::StrCat(path, "[", i, "]");
      if (!Visit(item_path, node[i])) break;
      out.push_back(Value(node[i], field, item_path));
    }
    return out;
  }

  json Map(const YAML::Node& node, const FieldDescriptor& field,
           const std::string& path) {
    json out = json::object();
    if (!node.IsMap()) {
      Problem(path, absl::StrCat("expected a mapping, found ", KindOf(node)),
              "write one `key: value` line per entry");
      return out;
    }
    const FieldDescriptor& value_field = *field.message_type()->map_value();
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      const std::string entry_path = absl::StrCat(path, "[\"", key, "\"]");
      if (!Visit(entry_path, entry.second)) break;
      out[key] = Value(entry.second, value_field, entry_path);
    }
    return out;
  }

  // One value of a field's type (an element, for repeated fields).
  json Value(const YAML::Node& node, const FieldDescriptor& field,
             const std::string& path) {
    if (field.type() == FieldDescriptor::TYPE_MESSAGE) {
      const Descriptor& type = *field.message_type();
      if (type.full_name() == kDuration) return Duration(node, path);
      if (type.full_name() == kTimestamp) return Timestamp(node, path);
      if (type.full_name() == kSecretRef && node.IsScalar()) {
        // Never echo the value: it is most likely the secret itself.
        Problem(path, "a secret is written inline in the config",
                absl::StrCat("put it in an environment variable or a file "
                             "and write `",
                             field.name(), ": {env: VARIABLE}` or `",
                             field.name(), ": {file: /path/to/secret}`"));
        return json::object();
      }
      return Message(node, type, path);
    }
    if (!node.IsScalar()) {
      Problem(path,
              absl::StrCat("expected a single value, found ", KindOf(node)),
              absl::StrCat("write ", field.name(), " as one value"));
      return json();
    }
    const std::string& text = node.Scalar();
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return text;
      case FieldDescriptor::CPPTYPE_BOOL: {
        bool value = false;
        if (!absl::SimpleAtob(text, &value)) {
          Problem(path, absl::StrCat("'", text, "' is not true or false"),
                  "write true or false");
        }
        return value;
      }
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64: {
        int64_t value = 0;
        if (!absl::SimpleAtoi(text, &value) ||
            (field.cpp_type() == FieldDescriptor::CPPTYPE_INT32 &&
             (value < std::numeric_limits<int32_t>::min() ||
              value > std::numeric_limits<int32_t>::max()))) {
          Problem(path, absl::StrCat("'", text, "' is not a whole number"),
                  "write a whole number such as 3");
        }
        return value;
      }
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64: {
        uint64_t value = 0;
        if (!absl::SimpleAtoi(text, &value) ||
            (field.cpp_type() == FieldDescriptor::CPPTYPE_UINT32 &&
             value > std::numeric_limits<uint32_t>::max())) {
          Problem(path,
                  absl::StrCat("'", text,
                               "' is not a whole number of zero or more"),
                  "write a whole number such as 3");
        }
        return value;
      }
      case FieldDescriptor::CPPTYPE_FLOAT:
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double value = 0;
        if (!absl::SimpleAtod(text, &value)) {
          Problem(path, absl::StrCat("'", text, "' is not a number"),
                  "write a number such as 1.5");
        }
        return value;
      }
      case FieldDescriptor::CPPTYPE_ENUM:
        return Enum(text, *field.enum_type(), path);
      case FieldDescriptor::CPPTYPE_MESSAGE:
        break;  // Handled above.
    }
    return json();
  }

  json Enum(const std::string& text, const EnumDescriptor& type,
            const std::string& path) {
    const std::string prefix = EnumPrefix(type);
    std::string wanted = absl::AsciiStrToUpper(text);
    std::replace(wanted.begin(), wanted.end(), '-', '_');
    std::vector<std::string> short_names;
    for (int i = 0; i < type.value_count(); ++i) {
      const std::string& name = type.value(i)->name();
      if (wanted == name || absl::StrCat(prefix, wanted) == name) return name;
      short_names.push_back(name.substr(prefix.size()));
    }
    Problem(path, absl::StrCat("'", text, "' is not a valid value"),
            absl::StrCat("use one of ", absl::StrJoin(short_names, ", ")));
    return json();
  }

  json Duration(const YAML::Node& node, const std::string& path) {
    absl::Duration value;
    if (!node.IsScalar() || !absl::ParseDuration(node.Scalar(), &value) ||
        value == absl::InfiniteDuration() ||
        value == -absl::InfiniteDuration()) {
      Problem(path,
              absl::StrCat("'", node.IsScalar() ? node.Scalar() : KindOf(node),
                           "' is not a duration"),
              "write a number with a unit, such as 90s, 5m or 1h30m");
      return json();
    }
    // The proto JSON form: seconds with up to 9 decimals and an "s".
    return absl::StrCat(absl::FDivDuration(value, absl::Seconds(1)), "s");
  }

  json Timestamp(const YAML::Node& node, const std::string& path) {
    absl::Time value;
    std::string error;
    if (!node.IsScalar() ||
        !absl::ParseTime(absl::RFC3339_full, node.Scalar(), &value, &error)) {
      Problem(path,
              absl::StrCat("'", node.IsScalar() ? node.Scalar() : KindOf(node),
                           "' is not a time"),
              "write an RFC 3339 time with its offset, such as "
              "2026-01-31T09:00:00Z");
      return json();
    }
    return absl::FormatTime(absl::RFC3339_full, value, absl::UTCTimeZone());
  }

  static const FieldDescriptor* SystemOptionsField() {
    static const FieldDescriptor* const field =
        ferry::v1::SystemConfig::descriptor()->FindFieldByName("options");
    return field;
  }

  // A system's `options:` block, read into the options message its kind
  // declares (SystemConfig.typed_options), so each option is checked like
  // any other field. False when the kind declares none (or is unknown):
  // the block is then read as the untyped map, which the validator
  // refuses for a kind that takes no options.
  bool ReadTypedOptions(const YAML::Node& system, const YAML::Node& options,
                        const std::string& path, json* out) {
    const YAML::Node kind = system["kind"];
    if (!kind || !kind.IsScalar()) return false;
    const SystemOptionsSpec* spec = FindSystemOptions(kind.Scalar());
    if (spec == nullptr) return false;
    const Descriptor& type = *spec->prototype->GetDescriptor();
    json typed = Message(options, type, path);
    typed["@type"] = absl::StrCat("type.googleapis.com/", type.full_name());
    (*out)["typedOptions"] = std::move(typed);
    return true;
  }

  void UnknownField(const std::string& key, const Descriptor& type,
                    const std::string& path) {
    std::string best;
    size_t best_distance = std::numeric_limits<size_t>::max();
    std::vector<std::string> names;
    for (int i = 0; i < type.field_count(); ++i) {
      const std::string& name = type.field(i)->name();
      names.push_back(name);
      const size_t d = Distance(key, name);
      if (d < best_distance) {
        best_distance = d;
        best = name;
      }
    }
    std::string fix =
        best_distance <= std::max<size_t>(2, key.size() / 3)
            ? absl::StrCat("did you mean '", best, "'?")
            : absl::StrCat("valid fields of ", type.name(), " are ",
                           absl::StrJoin(names, ", "));
    Problem(path, absl::StrCat("unknown field '", key, "'"), fix);
  }

  static std::string OneofMembers(
      const google::protobuf::OneofDescriptor& oneof) {
    std::vector<std::string> names;
    for (int i = 0; i < oneof.field_count(); ++i) {
      names.push_back(oneof.field(i)->name());
    }
    return absl::StrJoin(names, ", ");
  }

  // Records where `path` was written and counts it against
  // kMaxConfigNodes. False from the node past the limit on, reported once
  // at that node; each loop of the walk then stops at its next node, so
  // the walk ends within the limit however many aliases it would expand.
  bool Visit(const std::string& path, const YAML::Node& node) {
    if (nodes_read_ > kMaxConfigNodes) return false;
    ++nodes_read_;
    const YAML::Mark mark = node.Mark();
    if (mark.line >= 0) sources_->Record(path, {mark.line + 1, mark.column + 1});
    if (nodes_read_ <= kMaxConfigNodes) return true;
    Problem(path,
            absl::StrCat("the config has more than ", kMaxConfigNodes,
                         " values once its aliases (*name) are expanded; "
                         "reading stopped here"),
            "remove the aliases or split the config");
    return false;
  }

  void Problem(const std::string& path, absl::string_view message,
               absl::string_view fix) {
    problems_->push_back(MakeProblem(file_, *sources_, path, message, fix));
  }

  std::string file_;
  SourceMap* sources_;
  std::vector<ferry::v1::ConfigProblem>* problems_;
  size_t nodes_read_ = 0;
};

}  // namespace

YamlRead ReadYamlFields(absl::string_view yaml, absl::string_view file_name,
                        google::protobuf::Message* message, SourceMap* sources,
                        std::vector<ferry::v1::ConfigProblem>* problems) {
  if (yaml.size() > kMaxConfigBytes) {
    problems->push_back(FileProblem(
        file_name, {},
        absl::StrCat("the config is larger than ", kMaxConfigBytes >> 20,
                     " MiB"),
        "split it into smaller configs or remove what it repeats"));
    return YamlRead::kUnreadable;
  }
  if (std::optional<ferry::v1::ConfigProblem> problem =
          FindInvalidUtf8(yaml, file_name)) {
    problems->push_back(*std::move(problem));
    return YamlRead::kUnreadable;
  }
  const size_t problems_before = problems->size();
  json tree;
  // yaml-cpp reports with exceptions, from parsing and from reading nodes
  // alike; they stop here, as a problem.
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    Reader reader(file_name, sources, problems);
    tree = reader.Message(root, *message->GetDescriptor(), "");
    if (reader.stopped()) return YamlRead::kUnreadable;
  } catch (const YAML::Exception& e) {
    problems->push_back(FileProblem(
        file_name,
        e.mark.is_null() ? SourcePosition{}
                         : SourcePosition{e.mark.line + 1, e.mark.column + 1},
        absl::StrCat("not valid YAML: ", e.msg),
        "correct the YAML syntax at this place"));
    return YamlRead::kUnreadable;
  }
  const bool fields_ok = problems->size() == problems_before;

  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  // A field with a problem was left out of the tree or written as null
  // (its default), so the rest of the file reads on its own.
  const auto status =
      google::protobuf::util::JsonStringToMessage(tree.dump(), message, options);
  if (!status.ok()) {
    message->Clear();
    if (!fields_ok) return YamlRead::kUnreadable;
    // The schema walk above should have caught it; report it all the same.
    problems->push_back(FileProblem(file_name, {},
                                    std::string(status.message()),
                                    "correct the value the message names"));
    return YamlRead::kUnreadable;
  }
  return fields_ok ? YamlRead::kComplete : YamlRead::kFieldProblems;
}

bool ReadYamlIntoMessage(absl::string_view yaml, absl::string_view file_name,
                         google::protobuf::Message* message,
                         SourceMap* sources,
                         std::vector<ferry::v1::ConfigProblem>* problems) {
  return ReadYamlFields(yaml, file_name, message, sources, problems) ==
         YamlRead::kComplete;
}

}  // namespace ferry::config
