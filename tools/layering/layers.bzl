"""Keeps Ferry's layers: a package's libraries depend only on what its layer may use.

Call `layer_test()` as the last line of a BUILD file. It takes every
non-test cc_library declared above it in that package, asks Bazel (with a
`genquery`, evaluated at build time) for everything they depend on, and
adds a test that fails naming each of our own labels (`//…`) outside the
`allowed` package prefixes. Libraries added to the package later are
covered without touching the call. See docs/architecture.md, "Layering".
"""

def layer_test(allowed, name = "layers_test"):
    """A test that the package's libraries depend only on `allowed` packages.

    Args:
      allowed: package prefixes our labels may start with, e.g.
        ["//mapping", "//proto", "//third_party"]. A prefix matches the
        package itself and its subpackages ("//engine" matches
        "//engine/state:state_store").
      name: the test's name.
    """
    package = native.package_name()
    libraries = [
        "//%s:%s" % (package, rule["name"])
        for rule in native.existing_rules().values()
        if rule["kind"] == "cc_library" and not rule.get("testonly", False)
    ]
    if not libraries:
        fail("layer_test: package //%s declares no library to check" % package)
    native.genquery(
        name = name + "_deps",
        expression = "deps(set(%s))" % " ".join(libraries),
        scope = libraries,
    )
    native.sh_test(
        name = name,
        size = "small",
        srcs = ["//tools/layering:check_layer.sh"],
        args = ["$(location :%s_deps)" % name] + allowed,
        data = [":%s_deps" % name],
    )
