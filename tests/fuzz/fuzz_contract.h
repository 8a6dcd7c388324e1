// The error contract every parser fuzz target checks: a parser either returns or throws its
// documented error type, whose message names the file it was given. Anything else (another
// exception type such as std::length_error or std::bad_alloc, a message without the file
// name, a crash, a hang, a sanitizer report) is a bug and aborts, so libFuzzer keeps the input.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

namespace cardpoll::fuzz {

inline constexpr const char* kFileName = "fuzzed-input.txt";

[[noreturn]] inline void contract_broken(const char* target, const std::string& why) {
  std::fprintf(stderr, "%s: contract broken: %s\n", target, why.c_str());
  std::abort();
}

// Runs `parse`; the only exception allowed is `Error`, and its what() must contain `name`.
template <typename Error, typename Parse>
void expect_contract(const char* target, const std::string& name, Parse parse) {
  try {
    parse();
  } catch (const Error& e) {
    if (std::string_view(e.what()).find(name) == std::string_view::npos)
      contract_broken(target, std::string("error without the file name: ") + e.what());
  } catch (const std::exception& e) {
    contract_broken(target, std::string("undocumented exception: ") + e.what());
  } catch (...) {
    contract_broken(target, "a non-standard exception");
  }
}

}  // namespace cardpoll::fuzz
