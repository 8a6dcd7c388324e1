// Robustness: every import file of tests/data/import, mutated many times (bytes changed,
// quotes/braces/separators/line breaks inserted, cut short), must either import with its
// invariants holding or be refused with an ImportError — never crash, hang or throw anything
// else. Deterministic (fixed seed), so a failure names the mutated text and repeats.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>

#include "core/exchange/import_questions.h"
#include "core/exchange/import_roster.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  static const std::string inserts[] = {"\"", ",", ";", "\t", "\n", "\r\n", "{", "}", "=", "~", "#", "\\",
                                        "::", "A. ", "ANSWER: ", "\xC3", "\xE9", "-", "%50%", "->", "//"};
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < edits; ++k) {
    const size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 4) {
      case 0:
        if (at < s.size()) s[at] = static_cast<char>(rng() % 256);
        break;
      case 1: s.insert(at, inserts[rng() % std::size(inserts)]); break;
      case 2: s.erase(at, rng() % 8); break;
      case 3: s.resize(at); break;
    }
  }
  return s;
}

void check_roster(const std::string& text) {
  try {
    const RosterImport r = parse_roster_csv(text, "m.csv");
    ASSERT_EQ(r.lines.size(), r.students.size());
    std::set<int> cards;
    for (const auto& st : r.students) {
      EXPECT_GE(st.card, 1);
      EXPECT_TRUE(cards.insert(st.card).second) << "card " << st.card << " twice";
      EXPECT_FALSE(st.display_name.empty());
    }
  } catch (const ImportError& e) {
    EXPECT_GE(e.line, 0);
  }
}

void check_questions(const std::string& text, QuestionFormat f) {
  try {
    const QuestionImport q = parse_questions(text, "m", f);
    ASSERT_EQ(q.lines.size(), q.questions.size());
    EXPECT_FALSE(q.questions.empty());
    for (const auto& x : q.questions) {
      EXPECT_GE(x.choices.size(), 2u);
      EXPECT_LE(x.choices.size(), 4u);
      EXPECT_FALSE(x.text.empty());
      if (x.correct) {
        EXPECT_LT(static_cast<size_t>(*x.correct), x.choices.size());
      }
    }
  } catch (const ImportError& e) {
    EXPECT_GE(e.line, 0);
  }
}

TEST(ImportMutations, NeverCrashOrBreakInvariants) {
  std::mt19937 rng(20260304);
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(CARDPOLL_TEST_DATA) + "/import")) {
    const std::string original = test::read_file(entry.path().string());
    ++files;
    for (int k = 0; k < 30; ++k) {
      const std::string text = mutate(original, rng);
      check_roster(text);
      check_questions(text, QuestionFormat::Csv);
      check_questions(text, QuestionFormat::Aiken);
      check_questions(text, QuestionFormat::Gift);
      if (HasFailure()) FAIL() << "from " << entry.path() << " mutated:\n" << text;
    }
  }
  EXPECT_GT(files, 40);
}

}  // namespace
}  // namespace cardpoll
