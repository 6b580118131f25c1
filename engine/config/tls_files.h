#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace ferry::config {

// One PEM file a setting names: the setting ("server.tls_cert_file",
// "webhook_tls_key_file"), for error messages, and the path.
struct TlsFileSetting {
  std::string option;
  std::string path;
};

// The settings of one TLS endpoint. `ca` is optional: its path is empty
// when the endpoint does not verify its peers.
struct TlsSettings {
  TlsFileSetting certificate;
  TlsFileSetting private_key;
  TlsFileSetting ca;
};

// The PEM text of the files of a TlsSettings; `ca` is empty when no CA
// file was named.
struct TlsFiles {
  std::string certificate;
  std::string private_key;
  std::string ca;
};

// Reads the files of `settings` and checks them as a TLS library would
// load them, so a problem is named before anything listens or dials (gRPC
// and OpenSSL would only say the port cannot be served, or the handshake
// failed): each file is a readable regular file (not missing, not a
// directory or FIFO, not unreadable: see ReadRegularFile) and not empty;
// the certificate file holds a PEM certificate, the key file a PEM private
// key without passphrase that is the certificate's key, and the CA file,
// when named, at least one PEM certificate.
//
// Fails with a message that starts with the setting, then names the path
// and the problem ("server.tls_key_file: /k.pem does not match the
// certificate /c.pem"); `*failed_option`, when not null, is set to that
// setting. Never puts a file's content into a message. Thread-safe.
absl::StatusOr<TlsFiles> ReadTlsFiles(const TlsSettings& settings,
                                      std::string* failed_option = nullptr);

}  // namespace ferry::config
