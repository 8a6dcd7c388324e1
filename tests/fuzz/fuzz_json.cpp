// libFuzzer: arbitrary bytes into the JSON reader (core/json.h). Contract: a value, or
// std::runtime_error naming the byte offset; never another exception, never a crash (deep
// nesting included).
#include "core/json.h"
#include "tests/fuzz/fuzz_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cardpoll;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_contract<std::runtime_error>("fuzz_json", "", [&] { (void)parse_json(text); });
  return 0;
}
