// libFuzzer target: arbitrary bytes into the Moodle XML question importer (libxml2 and the
// question checks after it). Any input must either import or be refused with an ImportError;
// nothing else may escape, crash or leak. Seeds: tests/data/import/samples/questions/*.xml.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/exchange/import_questions.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const cardpoll::QuestionImport r = cardpoll::parse_questions_moodle_xml(text, "fuzz.xml");
    if (r.questions.empty()) __builtin_trap();  // an import without questions must be refused
    for (const auto& q : r.questions)
      if (q.choices.size() < 2 || q.choices.size() > 4 || (q.correct && static_cast<size_t>(*q.correct) >= q.choices.size()))
        __builtin_trap();  // a question no card can answer got through
  } catch (const cardpoll::ImportError&) {
    // refused with a message: fine
  }
  return 0;
}
