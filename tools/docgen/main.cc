// docgen: writes Ferry's generated reference documentation.
//
//   bazel run //tools/docgen -- --write      regenerate docs/generated/
//   docgen --out_dir=DIR                     write the pages under DIR
//
// The pages come from proto/config.proto's comments and from each linked
// connector's schema and options (tools/docgen/reference_docs.h).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tools/docgen/proto_reference.h"
#include "tools/docgen/reference_docs.h"

ABSL_FLAG(bool, write, false,
          "Write into the workspace's docs/generated/ (under bazel run).");
ABSL_FLAG(std::string, out_dir, "", "Write the pages under this directory.");
ABSL_FLAG(std::string, descriptors, "tools/docgen/descriptors.pb",
          "The descriptor set with source info of the documented .proto files.");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string out_dir = absl::GetFlag(FLAGS_out_dir);
  if (absl::GetFlag(FLAGS_write)) {
    const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    if (workspace == nullptr) {
      std::fprintf(stderr, "docgen: --write works under `bazel run //tools/docgen -- --write`; "
                           "otherwise give --out_dir\n");
      return 2;
    }
    out_dir = std::string(workspace) + "/docs/generated";
  }
  if (out_dir.empty()) {
    std::fprintf(stderr, "docgen: give --write or --out_dir=DIR\n");
    return 2;
  }
  auto sources = ferry::docgen::ProtoSources::Load(absl::GetFlag(FLAGS_descriptors));
  if (!sources.ok()) {
    std::fprintf(stderr, "docgen: %s\n", std::string(sources.status().message()).c_str());
    return 1;
  }
  auto pages = ferry::docgen::ReferencePages(**sources);
  if (!pages.ok()) {
    std::fprintf(stderr, "docgen: %s\n", std::string(pages.status().message()).c_str());
    return 1;
  }
  namespace fs = std::filesystem;
  for (const auto& [name, text] : *pages) {
    const fs::path path = fs::path(out_dir) / name;
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::fprintf(stderr, "docgen: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::printf("docgen: wrote %zu pages under %s\n", pages->size(), out_dir.c_str());
  return 0;
}
