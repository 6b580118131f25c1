#include "engine/config/tls_files.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "engine/config/secrets.h"

namespace ferry::config {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<BIO, BioFree> MemoryBio(const std::string& pem) {
  return std::unique_ptr<BIO, BioFree>(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::unique_ptr<X509, X509Free> ParseCertificate(const std::string& pem) {
  return std::unique_ptr<X509, X509Free>(
      PEM_read_bio_X509(MemoryBio(pem).get(), nullptr, nullptr, nullptr));
}

// Collects the first failure: its setting and its status.
class Failure {
 public:
  explicit Failure(std::string* failed_option) : failed_option_(failed_option) {}

  absl::Status Of(const TlsFileSetting& setting, absl::StatusCode code,
                  absl::string_view problem) {
    if (failed_option_ != nullptr) *failed_option_ = setting.option;
    // Failed parses leave errors queued on this thread; none concern a caller.
    ERR_clear_error();
    return absl::Status(code, absl::StrCat(setting.option, ": ", problem));
  }

 private:
  std::string* failed_option_;
};

// Reads the file `setting` names, failing when it cannot be read or is
// empty.
absl::StatusOr<std::string> ReadPem(const TlsFileSetting& setting, Failure* failure) {
  if (setting.path.empty()) {
    return failure->Of(setting, absl::StatusCode::kInvalidArgument,
                       "no file is named; set it to a PEM file");
  }
  auto pem = ReadRegularFile(setting.path);
  if (!pem.ok()) {
    return failure->Of(setting, pem.status().code(), pem.status().message());
  }
  if (pem->find_first_not_of(" \t\r\n") == std::string::npos) {
    return failure->Of(setting, absl::StatusCode::kNotFound,
                       absl::StrCat(setting.path, " is empty"));
  }
  return pem;
}

}  // namespace

absl::StatusOr<TlsFiles> ReadTlsFiles(const TlsSettings& settings,
                                      std::string* failed_option) {
  Failure failure(failed_option);
  TlsFiles files;
  auto certificate = ReadPem(settings.certificate, &failure);
  if (!certificate.ok()) return certificate.status();
  files.certificate = *std::move(certificate);
  auto key = ReadPem(settings.private_key, &failure);
  if (!key.ok()) return key.status();
  files.private_key = *std::move(key);
  if (!settings.ca.path.empty()) {
    auto ca = ReadPem(settings.ca, &failure);
    if (!ca.ok()) return ca.status();
    files.ca = *std::move(ca);
  }

  const auto x509 = ParseCertificate(files.certificate);
  if (x509 == nullptr) {
    return failure.Of(settings.certificate, absl::StatusCode::kInvalidArgument,
                      absl::StrCat(settings.certificate.path,
                                   " holds no PEM certificate"));
  }
  std::unique_ptr<EVP_PKEY, KeyFree> pkey(PEM_read_bio_PrivateKey(
      MemoryBio(files.private_key).get(), nullptr, nullptr, nullptr));
  if (pkey == nullptr) {
    return failure.Of(settings.private_key, absl::StatusCode::kInvalidArgument,
                      absl::StrCat(settings.private_key.path,
                                   " holds no PEM private key (or one with a passphrase)"));
  }
  if (X509_check_private_key(x509.get(), pkey.get()) != 1) {
    return failure.Of(settings.private_key, absl::StatusCode::kInvalidArgument,
                      absl::StrCat(settings.private_key.path,
                                   " does not match the certificate ",
                                   settings.certificate.path));
  }
  if (!settings.ca.path.empty() && ParseCertificate(files.ca) == nullptr) {
    return failure.Of(settings.ca, absl::StatusCode::kInvalidArgument,
                      absl::StrCat(settings.ca.path,
                                   " holds no PEM CA certificate"));
  }
  ERR_clear_error();
  return files;
}

}  // namespace ferry::config
