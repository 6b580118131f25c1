"""ferry_cc_proto: C++ (and gRPC) code for one .proto, with Debian's protoc.

The native proto rules want @com_google_protobuf, which is not on the
machine, so protoc and grpc_cpp_plugin run from a genrule instead.

    ferry_cc_proto(name = "config_cc_proto", src = "config.proto", deps = [":entity_cc_proto"])

makes the cc_library `name`, whose headers are included as
"proto/config.pb.h" (and "proto/config.grpc.pb.h" with grpc = True).
"""

def ferry_cc_proto(name, src, deps = [], grpc = False):
    """Generates and compiles one .proto.

    Args:
      name: the cc_library to define.
      src: the .proto file, in this package.
      deps: ferry_cc_proto targets whose .proto files `src` imports.
      grpc: also generate gRPC service stubs.
    """
    base = src[:-len(".proto")]
    outs = [base + ".pb.h", base + ".pb.cc"]
    if grpc:
        outs += [base + ".grpc.pb.h", base + ".grpc.pb.cc"]

    # The .proto files protoc must see: this one and everything it imports.
    native.filegroup(
        name = name + "_files",
        srcs = [src] + [dep + "_files" for dep in deps],
    )

    grpc_flags = ""
    if grpc:
        grpc_flags = ("--plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin " +
                      "--grpc_out=$(GENDIR) ")
    native.genrule(
        name = name + "_gen",
        srcs = [src, name + "_files"],
        outs = outs,
        cmd = ("/usr/bin/protoc --proto_path=. --proto_path=/usr/include " +
               "--cpp_out=$(GENDIR) " + grpc_flags +
               "$(location " + src + ")"),
    )

    native.cc_library(
        name = name,
        srcs = [o for o in outs if o.endswith(".cc")],
        hdrs = [o for o in outs if o.endswith(".h")],
        copts = ["-Wno-unused-parameter"],
        deps = deps + ["//third_party:protobuf"] +
               (["//third_party:grpc"] if grpc else []),
    )
