"""Fuzz tests: one per parser of outside bytes (tools/fuzz/README.md).

`ferry_fuzz_test` builds a libFuzzer-style target (a .cc defining
`extern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t)`) in two ways:

  - by default, as a cc_test linked with //tools/fuzz:replay_main, which
    replays the checked-in corpus `testdata/fuzz/<name>/` of the calling
    package and then runs `runs` deterministic mutations of it (CI: part of
    `bazel test //...`, tagged "fuzz");
  - under `--config=libfuzzer` (.bazelrc), with clang and
    -fsanitize=fuzzer,address,undefined: the binary is real libFuzzer, which
    tools/fuzz/run_libfuzzer.sh runs for as long as asked, and which
    `bazel test --config=libfuzzer` runs once over the corpus (-runs=0).
"""

def ferry_fuzz_test(name, srcs, deps, dict, runs = 10000, max_len = 16384):
    """A fuzz test named `name` with corpus testdata/fuzz/<name>/.

    Args:
      name: the target's name, ending in "_fuzz".
      srcs: the .cc defining LLVMFuzzerTestOneInput.
      deps: what it calls.
      dict: a libFuzzer dictionary, e.g. "//tools/fuzz:json.dict".
      runs: mutated inputs the CI pass runs after the corpus; keep the test
        within a few seconds on a loaded two-core machine.
      max_len: the largest input the mutations make, in bytes.
    """
    corpus = "%s/testdata/fuzz/%s" % (native.package_name(), name)
    native.cc_test(
        name = name,
        size = "small",
        timeout = "moderate",
        srcs = srcs,
        deps = deps + select({
            "//tools/fuzz:libfuzzer": [],
            "//conditions:default": ["//tools/fuzz:replay_main"],
        }),
        linkopts = select({
            "//tools/fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        data = native.glob(["testdata/fuzz/%s/**" % name]) + [dict],
        args = select({
            "//tools/fuzz:libfuzzer": [
                "-runs=0",
                "-dict=$(rootpath %s)" % dict,
                corpus,
            ],
            "//conditions:default": [
                "--runs=%d" % runs,
                "--max_len=%d" % max_len,
                "--dict=$(rootpath %s)" % dict,
                corpus,
            ],
        }),
        tags = ["fuzz"],
    )
