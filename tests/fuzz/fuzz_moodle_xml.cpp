// libFuzzer: arbitrary bytes into the Moodle XML question importer (libxml2 and the
// question checks after it). Contract: questions with text and 2-4 choices and a right
// answer among them (or none), at least one, or ImportError naming the file; nothing else
// may escape, crash or leak. Seeds: corpus/moodle_xml; dictionary: moodle_xml.dict (the
// elements and attributes the importer reads, see .ci/fuzz.sh).
// libxml2's global set-up runs once per process already (xmlInitParser under call_once in
// the importer), so there is no per-input set-up to move into LLVMFuzzerInitialize.
#include "core/exchange/import_questions.h"
#include "tests/fuzz/fuzz_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cardpoll;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::expect_contract<ImportError>("fuzz_moodle_xml", fuzz::kFileName, [&] {
    const QuestionImport r = parse_questions_moodle_xml(text, fuzz::kFileName);
    if (r.questions.empty()) fuzz::contract_broken("fuzz_moodle_xml", "an import without questions was not refused");
    for (const auto& q : r.questions) {
      const size_t n = q.choices.size();
      if (q.text.empty() || n < 2 || n > 4 || (q.correct && static_cast<size_t>(*q.correct) >= n))
        fuzz::contract_broken("fuzz_moodle_xml", "a question no card can answer: " + q.text);
    }
  });
  return 0;
}
