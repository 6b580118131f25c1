#pragma once

#include <string>

namespace ferry::testing {

// PEM files of a self-signed certificate and its key.
struct PemFiles {
  std::string certificate;
  std::string private_key;
};

// Mints a P-256 key and a one-day self-signed CA certificate valid for
// 127.0.0.1 into `dir` (server.crt, server.key), with libcrypto: TLS tests
// need no files checked in and no network.
PemFiles MintSelfSignedCertificate(const std::string& dir);

}  // namespace ferry::testing
