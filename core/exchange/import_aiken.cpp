// Moodle Aiken: a question's text (one or more lines), choices "A. text" or "A) text" (Moodle
// also takes "A)text" without the space), then "ANSWER: B" (the letter in any case).
#include <cctype>

#include "core/exchange/import_questions.h"
#include "core/exchange/import_questions_common.h"
#include "core/exchange/moodle_text.h"

namespace cardpoll {

using namespace question_import;

namespace {

// "A. text", "B) text", "C)text" -> the letter; 0 when the line is not a choice.
char choice_letter(const std::string& t) {
  if (t.size() < 3 || t[0] < 'A' || t[0] > 'Z' || (t[1] != '.' && t[1] != ')')) return 0;
  return t[0];
}

bool is_answer_line(const std::string& t) {
  return starts_with_ci(t, "answer:") || (starts_with_ci(t, "answer") && trim_blanks(t.substr(6)).rfind(':', 0) == 0);
}

// One question being read.
struct AikenQuestion {
  int start = 0;
  std::vector<std::string> text_lines;
  std::vector<std::string> choices;  // all of them, E, F... too (then it is skipped)
  std::vector<std::string> skills;
};

// The "ANSWER:" line ends the question: checked, then added or skipped.
void finish_aiken(AikenQuestion& a, const std::string& t, int line, QuestionImport& out) {
  const std::string& file = out.file;
  if (a.choices.size() < 2) throw ImportError(file, line, "ANSWER: comes before the choices A. and B.");
  std::string v = trim_blanks(t.substr(t.find(':') + 1));
  if (v.empty()) throw ImportError(file, line, "ANSWER: has no letter after it (write for example ANSWER: B)");
  if (v.size() != 1 || !std::isalpha(static_cast<unsigned char>(v[0])))
    throw ImportError(file, line, "ANSWER: \"" + v + "\" is not one letter A-D (write for example ANSWER: B)");
  const char letter = static_cast<char>(std::toupper(static_cast<unsigned char>(v[0])));
  const std::string last(1, static_cast<char>('A' + a.choices.size() - 1));
  if (static_cast<size_t>(letter - 'A') >= a.choices.size())
    throw ImportError(file, line,
                      "ANSWER: " + std::string(1, letter) + " is not one of the choices A-" + last);
  if (a.choices.size() > 4) {
    skip(out, a.start,
         std::to_string(a.choices.size()) + " choices (A-" + last + "), but a card has only four edges (A-D)");
    return;
  }
  Question q;
  std::string text;
  for (size_t i = 0; i < a.text_lines.size(); ++i) text += (i ? "\n" : "") + a.text_lines[i];
  q.text = clean_moodle_text(text);
  std::vector<std::string> skills = a.skills;
  add_skills(skills, take_inline_skills(q.text));
  q.skills = skills;
  for (const auto& c : a.choices) q.choices.push_back(clean_moodle_text(c));
  q.correct = answer_from_letter(letter);
  add_question(out, std::move(q), a.start);
}

// A choice line of the question `a` (its text already read).
void add_aiken_choice(AikenQuestion& a, const std::string& t, char letter, int line, const std::string& file) {
  if (static_cast<size_t>(letter - 'A') != a.choices.size())
    throw ImportError(file, line,
                      std::string("choice ") + letter + " where " + static_cast<char>('A' + a.choices.size()) +
                          " was expected (choices go in order A, B, C, D)");
  if (a.text_lines.empty()) throw ImportError(file, line, "choices without a question before them");
  const std::string choice = trim_blanks(t.substr(2));
  if (choice.empty()) throw ImportError(file, line, std::string("choice ") + letter + " is empty");
  a.choices.push_back(choice);
}

}  // namespace

QuestionImport parse_questions_aiken(std::string_view raw, const std::string& file_name) {
  const std::vector<std::string> lines = split_lines(check_text(raw, file_name));
  QuestionImport out;
  out.file = file_name;
  out.format = QuestionFormat::Aiken;

  std::vector<std::string> pending_skills;  // from "// skill:" lines before the question
  bool in_question = false;
  AikenQuestion a;

  for (size_t k = 0; k < lines.size(); ++k) {
    const int line = static_cast<int>(k) + 1;
    const std::string t = trim_blanks(lines[k]);
    if (t.empty()) continue;  // blank lines separate questions; Moodle ignores them anywhere
    if (!in_question && t.rfind("//", 0) == 0) {
      if (auto s = skill_comment(t)) add_skills(pending_skills, *s);
      continue;  // a comment before a question (a cardpoll extension; Moodle has none)
    }
    const char letter = choice_letter(t);
    const bool answer_line = is_answer_line(t);
    if (!in_question) {
      if (answer_line) throw ImportError(file_name, line, "an ANSWER: line without a question before it");
      in_question = true;
      a = AikenQuestion{};
      a.start = line;
      a.skills = pending_skills;
      pending_skills.clear();
    }
    if (answer_line) {
      finish_aiken(a, t, line, out);
      in_question = false;
    } else if (a.choices.empty() && (letter != 'A' || a.text_lines.empty())) {
      a.text_lines.push_back(t);  // question text, possibly over several lines
    } else if (!letter) {
      throw ImportError(file_name, line,
                        "expected choice " + std::string(1, static_cast<char>('A' + a.choices.size())) +
                            ". or an ANSWER: line (a question's text goes before its choices)");
    } else {
      add_aiken_choice(a, t, letter, line, file_name);
    }
  }
  if (in_question)
    throw ImportError(file_name, a.start, "this question has no \"ANSWER: <letter>\" line after its choices");
  require_some_questions(out);
  return out;
}

}  // namespace cardpoll
