// libFuzzer: arbitrary bytes as a question file in the gift format (core/exchange/import_questions.h).
// Contract: questions with text and 2-4 choices and a right answer among them (or none), or
// ImportError naming the file.
#include "core/exchange/import_questions.h"
#include "tests/fuzz/fuzz_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cardpoll;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_contract<ImportError>("fuzz_questions_gift", fuzz::kFileName, [&] {
    const QuestionImport q = parse_questions_gift(text, fuzz::kFileName);
    for (const auto& x : q.questions) {
      const size_t n = x.choices.size();
      if (x.text.empty() || n < 2 || n > 4 || (x.correct && static_cast<size_t>(*x.correct) >= n))
        fuzz::contract_broken("fuzz_questions_gift", "an impossible question: " + x.text);
    }
  });
  return 0;
}
