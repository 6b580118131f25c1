#include "tools/docgen/proto_reference.h"

#include <deque>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.pb.h"
#include "tools/docgen/fields_table.h"

namespace ferry::docgen {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::SourceLocation;

// A comment as one paragraph: each line trimmed, blank lines kept as
// paragraph breaks.
std::string Paragraphs(const std::string& comment) {
  std::vector<std::string> paragraphs(1);
  for (absl::string_view line : absl::StrSplit(comment, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) {
      if (!paragraphs.back().empty()) paragraphs.emplace_back();
      continue;
    }
    absl::StrAppend(&paragraphs.back(), paragraphs.back().empty() ? "" : " ", line);
  }
  if (paragraphs.back().empty()) paragraphs.pop_back();
  return absl::StrJoin(paragraphs, "\n\n");
}

template <typename D>
std::string CommentOf(const D& descriptor) {
  SourceLocation location;
  if (!descriptor.GetSourceLocation(&location)) return "";
  std::string comment = location.leading_comments;
  if (!location.trailing_comments.empty()) {
    absl::StrAppend(&comment, comment.empty() ? "" : "\n", location.trailing_comments);
  }
  return Paragraphs(comment);
}

std::string Anchor(const std::string& name) {
  return absl::AsciiStrToLower(name);
}

// Collects the messages and enums of `root`'s package it reaches, in the
// order a reader meets them.
class Walk {
 public:
  explicit Walk(const Descriptor& root) : package_(root.file()->package()) {
    Visit(&root);
    while (!queue_.empty()) {
      const Descriptor* message = queue_.front();
      queue_.pop_front();
      for (int i = 0; i < message->field_count(); ++i) {
        const FieldDescriptor* field = message->field(i);
        if (field->is_map()) field = field->message_type()->map_value();
        if (field->message_type() != nullptr) Visit(field->message_type());
        if (field->enum_type() != nullptr) Visit(field->enum_type());
      }
    }
  }

  std::vector<const Descriptor*> messages;
  std::vector<const EnumDescriptor*> enums;

 private:
  bool Ours(const google::protobuf::FileDescriptor* file) const {
    return file->package() == package_;
  }
  void Visit(const Descriptor* message) {
    if (!Ours(message->file()) || !seen_.insert(message->full_name()).second) return;
    messages.push_back(message);
    queue_.push_back(message);
  }
  void Visit(const EnumDescriptor* type) {
    if (!Ours(type->file()) || !seen_.insert(type->full_name()).second) return;
    enums.push_back(type);
  }

  const std::string package_;
  std::set<std::string> seen_;
  std::deque<const Descriptor*> queue_;
};

std::string ScalarType(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: return "string";
    case FieldDescriptor::CPPTYPE_BOOL: return "bool";
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: return "number";
    default: return "integer";
  }
}

std::string TypeOf(const FieldDescriptor& field) {
  if (field.is_map()) {
    return absl::StrCat("map of ", ScalarType(*field.message_type()->map_key()), " to ",
                        TypeOf(*field.message_type()->map_value()));
  }
  std::string type;
  if (field.enum_type() != nullptr) {
    type = absl::StrCat("[", field.enum_type()->name(), "](#",
                        Anchor(field.enum_type()->name()), ")");
  } else if (field.message_type() != nullptr) {
    const std::string& name = field.message_type()->full_name();
    if (name == "google.protobuf.Duration") {
      type = "duration (`0.2s`, `5m`, `1h30m`)";
    } else if (name == "google.protobuf.Timestamp") {
      type = "time (RFC 3339, `2026-01-31T09:00:00Z`)";
    } else if (name == "google.protobuf.Any") {
      type = "the options of the system's kind (its page in systems/)";
    } else {
      type = absl::StrCat("[", field.message_type()->name(), "](#",
                          Anchor(field.message_type()->name()), ")");
    }
  } else {
    type = ScalarType(field);
  }
  if (field.is_repeated()) return absl::StrCat("list of ", type);
  return type;
}

std::string Heading(int level, const std::string& title) {
  return absl::StrCat(std::string(level, '#'), " ", title, "\n\n");
}

std::string MessageSection(const Descriptor& message, int level, const YamlKeys& keys) {
  std::string out = Heading(level, message.name());
  const std::string comment = CommentOf(message);
  if (!comment.empty()) absl::StrAppend(&out, comment, "\n\n");
  if (message.field_count() == 0) return out;
  absl::StrAppend(&out, "| key | type | meaning |\n| --- | --- | --- |\n");
  for (int i = 0; i < message.field_count(); ++i) {
    const FieldDescriptor& field = *message.field(i);
    std::string key = field.name();
    if (auto it = keys.find(field.full_name()); it != keys.end()) key = it->second;
    if (key.empty()) continue;
    std::string meaning = CommentOf(field);
    const google::protobuf::OneofDescriptor* oneof = field.real_containing_oneof();
    if (oneof != nullptr) {
      meaning = absl::StrCat("(one of `", oneof->name(), "`) ", meaning);
    }
    absl::StrAppend(&out, "| `", key, "` | ", TypeOf(field), " | ",
                    Cell(meaning), " |\n");
  }
  absl::StrAppend(&out, "\n");
  return out;
}

std::string EnumSection(const EnumDescriptor& type, int level) {
  std::string out = Heading(level, type.name());
  const std::string comment = CommentOf(type);
  if (!comment.empty()) absl::StrAppend(&out, comment, "\n\n");
  absl::StrAppend(&out, "| value | meaning |\n| --- | --- |\n");
  for (int i = 0; i < type.value_count(); ++i) {
    absl::StrAppend(&out, "| `", type.value(i)->name(), "` | ",
                    Cell(CommentOf(*type.value(i))), " |\n");
  }
  absl::StrAppend(&out, "\n");
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ProtoSources>> ProtoSources::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  google::protobuf::FileDescriptorSet set;
  if (!in || !set.ParseFromIstream(&in)) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read the descriptor set ", path,
        "; run docgen through bazel (bazel run //tools/docgen), which builds it"));
  }
  std::unique_ptr<ProtoSources> sources(new ProtoSources());
  for (const google::protobuf::FileDescriptorProto& file : set.file()) {
    if (sources->pool_.BuildFile(file) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": ", file.name(), " does not link with the files before it"));
    }
  }
  return sources;
}

absl::StatusOr<const Descriptor*> ProtoSources::Message(const std::string& full_name) const {
  const Descriptor* message = pool_.FindMessageTypeByName(full_name);
  if (message == nullptr) {
    return absl::NotFoundError(absl::StrCat(
        "no message ", full_name,
        " in docgen's descriptor set; add its .proto to the `descriptors` "
        "genrule in tools/docgen/BUILD.bazel"));
  }
  return message;
}

std::string MessageReference(const Descriptor& root, int level, const YamlKeys& keys) {
  const Walk walk(root);
  std::string out;
  for (const Descriptor* message : walk.messages) {
    absl::StrAppend(&out, MessageSection(*message, level, keys));
  }
  for (const EnumDescriptor* type : walk.enums) {
    absl::StrAppend(&out, EnumSection(*type, level));
  }
  return out;
}

}  // namespace ferry::docgen
