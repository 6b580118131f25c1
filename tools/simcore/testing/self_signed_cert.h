#pragma once

#include <string>

#include "absl/status/status.h"

namespace ferry::simcore {

// Writes a fresh self-signed certificate (RSA 2048, SHA-256, valid one day,
// subjectAltName IP:127.0.0.1 and DNS:localhost) and its unencrypted key as
// PEM files, for a test that starts a simulator with TLS on loopback and
// gives the certificate to its client as the trusted CA.
absl::Status WriteSelfSignedCert(const std::string& cert_path,
                                 const std::string& key_path);

}  // namespace ferry::simcore
