#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "nlohmann/json.hpp"

namespace ferry::fuzz {

// Checks, inside a fuzz target, a promise a header makes for every input
// (a round trip gives its input back): when `got` differs from `want`,
// prints the promise and both values on stderr and aborts, which the fuzz
// driver reports as a crash with the input that broke it.
inline void ExpectPromise(const std::string& got, const std::string& want,
                          const char* promise) {
  if (got == want) return;
  fprintf(stderr, "fuzz: broken promise: %s\n  got:  \"%s\"\n  want: \"%s\"\n", promise,
          got.c_str(), want.c_str());
  abort();
}

// The same for two JSON documents (compared as their compact text, bytes
// that are not UTF-8 replaced).
inline void ExpectSameJson(const nlohmann::json& got, const nlohmann::json& want,
                           const char* promise) {
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  ExpectPromise(got.dump(-1, ' ', false, kReplace), want.dump(-1, ' ', false, kReplace), promise);
}

}  // namespace ferry::fuzz
