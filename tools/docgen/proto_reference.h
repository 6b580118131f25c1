#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"

namespace ferry::docgen {

// The .proto files Ferry's docs are generated from, with their comments:
// a FileDescriptorSet written by `protoc --include_imports
// --include_source_info` (the `descriptors` genrule in this package).
class ProtoSources {
 public:
  // Reads the descriptor set at `path`. Fails naming the path when it is
  // missing or not a descriptor set, or when its files do not link.
  static absl::StatusOr<std::unique_ptr<ProtoSources>> Load(const std::string& path);

  // The message called `full_name` ("ferry.v1.FerryConfig"); NOT_FOUND
  // naming the BUILD file to add its .proto to when the set lacks it.
  absl::StatusOr<const google::protobuf::Descriptor*> Message(
      const std::string& full_name) const;

 private:
  ProtoSources() = default;
  google::protobuf::DescriptorPool pool_;
};

// Where a field's YAML key is not its proto name: field full name
// ("ferry.v1.SystemConfig.typed_options") to the key users write
// ("options"), or to "" for a field YAML cannot set.
using YamlKeys = std::map<std::string, std::string>;

// Markdown for `root` and every message and enum of its package it
// reaches, one section each (heading level `level`, "###" for 3): the
// message's leading comment, then a table of its fields (YAML key, type,
// the field's comment). Types link to their sections; Duration and
// Timestamp are shown as the YAML forms the config reader takes.
std::string MessageReference(const google::protobuf::Descriptor& root, int level,
                             const YamlKeys& keys = {});

}  // namespace ferry::docgen
