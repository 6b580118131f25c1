// Fuzzes the webhook receiver's check of a delivery: the input's first
// line is the X-PagerDuty-Signature header, the rest the body.
#include <cstddef>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "connectors/pagerduty/pd_webhook_receiver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  const absl::string_view header = input.substr(0, newline);
  const absl::string_view body =
      newline == absl::string_view::npos ? absl::string_view() : input.substr(newline + 1);
  ferry::pagerduty::PagerDutySignatureMatches("fuzz-secret", body, header);
  ferry::pagerduty::PagerDutySignatureMatches("", body, header);
  return 0;
}
