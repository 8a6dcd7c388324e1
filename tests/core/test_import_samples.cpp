// Black-box import samples (ZXing style): every file in tests/data/import/samples/questions
// and .../rosters is imported as `cardpoll questions import` / `cardpoll class import` would,
// and what came out (each question or student, every warning and skipped row, or the error)
// is compared with the file's NAME.expected beside it. The samples are modelled on what
// Moodle, school information systems and LMSs export (docs/data-formats.md names them).
//
// After an intended change: CARDPOLL_UPDATE_GOLDEN=1 ./cardpoll_core_tests
// --gtest_filter='ImportSamples.*' rewrites the .expected files; review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"

namespace cardpoll {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string describe(const QuestionImport& r) {
  std::string out = "format " + std::string(question_format_name(r.format)) + "\n";
  for (size_t i = 0; i < r.questions.size(); ++i) {
    const Question& q = r.questions[i];
    out += "question " + std::to_string(q.position) + " (line " + std::to_string(r.lines[i]) + ")" +
           (q.true_false ? " true/false" : "") + (q.correct ? "" : " survey") + ":\n";
    std::string text = q.text;
    for (size_t at; (at = text.find('\n')) != std::string::npos;) text.replace(at, 1, " | ");
    out += "  " + text + "\n";
    for (size_t k = 0; k < q.choices.size(); ++k)
      out += std::string("  ") + (q.correct && static_cast<size_t>(*q.correct) == k ? "*" : " ") +
             answer_letter(static_cast<Answer>(k)) + " " + q.choices[k] + "\n";
    if (!q.skills.empty()) {
      out += "  skills:";
      for (const auto& s : q.skills) out += " " + s;
      out += "\n";
    }
  }
  for (const auto& w : r.warnings) out += "warning line " + std::to_string(w.line) + ": " + w.message + "\n";
  return out;
}

std::string describe(const RosterImport& r) {
  std::string out = std::string("header ") + (r.had_header ? "yes" : "no") + ", cards " +
                    (r.cards_from_file ? "from the file" : "in file order") + "\n";
  for (size_t i = 0; i < r.students.size(); ++i) {
    const Student& s = r.students[i];
    out += "card " + std::to_string(s.card) + " (line " + std::to_string(r.lines[i]) + "): " + s.display_name;
    out += " [first " + s.first_name + "; last " + s.last_name;
    if (!s.sis_id.empty()) out += "; id " + s.sis_id;
    if (!s.email.empty()) out += "; email " + s.email;
    for (const auto& t : s.tags) out += "; tag " + t;
    out += "]\n";
  }
  for (const auto& w : r.skipped) out += "skipped line " + std::to_string(w.line) + ": " + w.message + "\n";
  for (const auto& w : r.warnings) out += "warning line " + std::to_string(w.line) + ": " + w.message + "\n";
  return out;
}

template <typename Import>
std::string result_of(Import&& import) {
  try {
    return describe(import());
  } catch (const ImportError& e) {
    return "error line " + std::to_string(e.line) + ": " + e.message + "\n";
  }
}

void check_folder(const std::string& kind, std::string (*run)(const fs::path&)) {
  const fs::path dir = fs::path(CARDPOLL_TEST_DATA) / "import" / "samples" / kind;
  std::vector<fs::path> samples;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() != ".expected") samples.push_back(e.path());
  std::sort(samples.begin(), samples.end());
  ASSERT_GE(samples.size(), 5u) << dir;
  const char* update = std::getenv("CARDPOLL_UPDATE_GOLDEN");
  for (const auto& sample : samples) {
    const std::string actual = run(sample);
    const fs::path expected_file = sample.string() + ".expected";
    if (update && std::string(update) == "1") std::ofstream(expected_file, std::ios::binary) << actual;
    const std::string expected = read_all(expected_file);
    ASSERT_FALSE(expected.empty()) << "no " << expected_file.filename() << " (CARDPOLL_UPDATE_GOLDEN=1 writes it)";
    EXPECT_EQ(actual, expected) << sample.filename();
  }
}

TEST(ImportSamples, QuestionFilesImportAsExpected) {
  check_folder("questions", [](const fs::path& p) { return result_of([&] { return import_questions_file(p); }); });
}

TEST(ImportSamples, RosterFilesImportAsExpected) {
  check_folder("rosters", [](const fs::path& p) { return result_of([&] { return import_roster_file(p); }); });
}

}  // namespace
}  // namespace cardpoll
