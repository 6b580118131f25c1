#include "connectors/servicenow/sn_options.h"

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "connectors/servicenow/sn_schema.h"

namespace ferry::servicenow {
namespace {

std::string Lower(absl::string_view text) { return absl::AsciiStrToLower(text); }

bool HasClientSecret(const ServiceNowOptions& options) {
  return !options.oauth_client_secret_env().empty() || !options.oauth_client_secret_file().empty();
}

}  // namespace

std::vector<config::OptionProblem> CheckServiceNowOptions(const ServiceNowOptions& options) {
  std::vector<config::OptionProblem> problems;
  const std::string auth = Lower(options.auth());
  if (!auth.empty() && auth != "basic" && auth != "oauth" && auth != "bearer") {
    problems.push_back({"auth", absl::StrCat("auth '", options.auth(), "' is unknown"),
                        "use basic (username and password), oauth (password grant with "
                        "oauth_client_id and a client secret) or bearer (the token is an "
                        "OAuth access token)"});
  }
  const bool oauth = auth == "oauth";
  const bool has_env = !options.oauth_client_secret_env().empty();
  const bool has_file = !options.oauth_client_secret_file().empty();
  if (oauth && options.oauth_client_id().empty()) {
    problems.push_back({"oauth_client_id", "auth is oauth but oauth_client_id is not set",
                        "set oauth_client_id to the client id of the OAuth application "
                        "(System OAuth > Application Registry)"});
  }
  if (oauth && !has_env && !has_file) {
    problems.push_back({"oauth_client_secret_env", "auth is oauth but no client secret is set",
                        "add oauth_client_secret_env: VARIABLE or oauth_client_secret_file: "
                        "PATH holding the OAuth application's client secret"});
  }
  if (has_env && has_file) {
    problems.push_back({"oauth_client_secret_file", "the OAuth client secret is given twice",
                        "keep oauth_client_secret_env or oauth_client_secret_file, not both"});
  }
  if (!oauth && (has_env || has_file || !options.oauth_client_id().empty())) {
    problems.push_back({!options.oauth_client_id().empty() ? "oauth_client_id"
                        : has_env                          ? "oauth_client_secret_env"
                                                           : "oauth_client_secret_file",
                        "OAuth client settings are set but auth is not oauth",
                        "set auth: oauth to sign in with the OAuth password grant, or remove the "
                        "oauth_client_* options"});
  }
  if (options.has_page_size() &&
      (options.page_size() < 1 || options.page_size() > static_cast<uint32_t>(kMaxPageSize))) {
    problems.push_back(
        {"page_size",
         absl::StrCat("page_size ", options.page_size(), " is outside 1..", kMaxPageSize),
         "set page_size between 1 and 10000, or leave it out for 100"});
  }
  const std::string version = Lower(options.api_version());
  if (!version.empty() && version != "v1" && version != "v2") {
    problems.push_back({"api_version",
                        absl::StrCat("api_version '", options.api_version(), "' is unknown"),
                        "use v1 or v2, or leave it out for the instance's latest"});
  }
  const std::string element = Lower(options.comment_element());
  if (!element.empty() && element != kCommentsKind && element != kWorkNotesKind) {
    problems.push_back(
        {"comment_element",
         absl::StrCat("comment_element '", options.comment_element(), "' is not a journal field"),
         "use comments (customer-visible) or work_notes (internal)"});
  }
  if (options.has_hold_reason() && !CodeOf("hold_reason", options.hold_reason()).has_value()) {
    problems.push_back(
        {"hold_reason", absl::StrCat("hold_reason '", options.hold_reason(), "' is unknown"),
         "use Awaiting Caller, Awaiting Change, Awaiting Problem or Awaiting Vendor"});
  }
  if (options.has_close_code() && options.close_code().empty()) {
    problems.push_back({"close_code", "close_code is empty",
                        "set a close code of the instance, or leave it out for "
                        "\"Solved (Permanently)\""});
  }
  if (options.has_close_notes() && options.close_notes().empty()) {
    problems.push_back({"close_notes", "close_notes is empty",
                        "set the text to resolve with, or leave it out for the default"});
  }
  return problems;
}

ResolvedOptions ResolveOptions(const ServiceNowOptions& options) {
  ResolvedOptions out;
  const std::string auth = Lower(options.auth());
  out.auth = auth == "oauth"    ? AuthKind::kOAuthPassword
             : auth == "bearer" ? AuthKind::kBearer
                                : AuthKind::kBasic;
  if (out.auth == AuthKind::kOAuthPassword) {
    out.oauth_client_id = options.oauth_client_id();
    if (!options.oauth_client_secret_env().empty()) {
      out.oauth_client_secret.set_env(options.oauth_client_secret_env());
    } else if (!options.oauth_client_secret_file().empty()) {
      out.oauth_client_secret.set_file(options.oauth_client_secret_file());
    }
  }
  out.page_size =
      options.has_page_size() ? static_cast<int>(options.page_size()) : kDefaultPageSize;
  const std::string version = Lower(options.api_version());
  out.table_path = version == "v1" || version == "v2" ? absl::StrCat("/api/now/", version, "/table")
                                                      : "/api/now/table";
  out.close_code = options.has_close_code() ? options.close_code() : std::string(kDefaultCloseCode);
  out.close_notes =
      options.has_close_notes() ? options.close_notes() : std::string(kDefaultCloseNotes);
  out.hold_reason =
      options.has_hold_reason() ? options.hold_reason() : std::string(kDefaultHoldReason);
  const std::string element = Lower(options.comment_element());
  out.comment_element = element.empty() ? std::string(kCommentsKind) : element;
  out.correlation_display = options.has_correlation_display()
                                ? options.correlation_display()
                                : std::string(kDefaultCorrelationDisplay);
  return out;
}

config::SystemOptionsSpec ServiceNowOptionsSpec() {
  config::SystemOptionsSpec spec;
  spec.prototype = std::make_shared<ServiceNowOptions>();
  spec.check = [](const google::protobuf::Message& options) {
    return CheckServiceNowOptions(static_cast<const ServiceNowOptions&>(options));
  };
  spec.secrets = [](const google::protobuf::Message& message) {
    const auto& options = static_cast<const ServiceNowOptions&>(message);
    std::vector<config::OptionSecret> secrets;
    // Without auth: oauth the secret is not read (CheckServiceNowOptions
    // reports a stray one); with two sources it reports that too.
    if (Lower(options.auth()) == "oauth" && HasClientSecret(options)) {
      const ResolvedOptions resolved = ResolveOptions(options);
      secrets.push_back({options.oauth_client_secret_env().empty() ? "oauth_client_secret_file"
                                                                   : "oauth_client_secret_env",
                         resolved.oauth_client_secret});
    }
    return secrets;
  };
  return spec;
}

}  // namespace ferry::servicenow
