#include "core/exchange/import_questions.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "core/exchange/import_questions_common.h"

namespace cardpoll {

namespace question_import {


bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }


bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && lower_ascii(s.substr(0, prefix.size())) == prefix;
}

// Splits text into physical lines (CRLF, LF or lone CR).
std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' || c == '\n') {
      lines.push_back(std::move(cur));
      cur.clear();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) lines.push_back(std::move(cur));
  return lines;
}

void add_skills(std::vector<std::string>& to, const std::vector<std::string>& more) {
  for (const auto& s : more)
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
}

// Removes every "[skill: a b]" / "[skills: a, b]" marker from the text; returns their tags.
std::vector<std::string> take_inline_skills(std::string& text) {
  std::vector<std::string> skills;
  for (;;) {
    const std::string low = lower_ascii(text);
    size_t at = low.find("[skill:");
    size_t len = 7;
    const size_t at2 = low.find("[skills:");
    if (at2 != std::string::npos && (at == std::string::npos || at2 < at)) at = at2, len = 8;
    if (at == std::string::npos) break;
    const size_t end = text.find(']', at);
    if (end == std::string::npos) break;
    add_skills(skills, split_skills(std::string_view(text).substr(at + len, end - at - len)));
    text.erase(at, end - at + 1);
  }
  if (skills.empty()) return skills;  // no marker: the text stays as it is (a <pre> keeps its spaces)
  // Tidy the spaces the markers left behind.
  std::string out;
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) continue;
    if (c == '\n' && !out.empty() && out.back() == ' ') out.pop_back();
    out += c;
  }
  text = trim_blanks(out);
  return skills;
}

// "// skill: a, b" comment line -> tags; nullopt when the line is not a skill comment.
std::optional<std::vector<std::string>> skill_comment(std::string_view line) {
  std::string t = trim_blanks(line);
  if (t.rfind("//", 0) != 0) return std::nullopt;
  t = trim_blanks(std::string_view(t).substr(2));
  if (starts_with_ci(t, "skills:")) return split_skills(std::string_view(t).substr(7));
  if (starts_with_ci(t, "skill:")) return split_skills(std::string_view(t).substr(6));
  return std::nullopt;
}

bool is_true_false_pair(const std::vector<std::string>& choices) {
  return choices.size() == 2 && lower_ascii(choices[0]) == "true" && lower_ascii(choices[1]) == "false";
}

// "$course$/top/Fractions/Equivalent fractions" -> "fractions.equivalent_fractions"
std::string category_skill(std::string_view cat) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : std::string(cat) + "/") {
    if (c == '/') {
      const std::string p = trim_blanks(cur);
      cur.clear();
      if (p.empty() || (p.size() >= 2 && p.front() == '$' && p.back() == '$')) continue;
      if (parts.empty() && lower_ascii(p) == "top") continue;
      parts.push_back(p);
    } else {
      cur += c;
    }
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '.';
    for (char c : lower_ascii(p)) out += is_space(c) ? '_' : c;
  }
  return out;
}

namespace {

// Checks common to every format; fills true/false from the choices.
void finish(Question& q, const std::string& file, int line, std::vector<ImportWarning>& warnings) {
  if (q.text.empty()) throw ImportError(file, line, "this question has no text");
  if (q.choices.size() < 2)
    throw ImportError(file, line, "a question needs at least two choices (A and B)");
  for (size_t k = 0; k < q.choices.size(); ++k)
    if (q.choices[k].empty())
      throw ImportError(file, line, std::string("choice ") + static_cast<char>('A' + k) + " is empty");
  if (q.correct && static_cast<size_t>(*q.correct) >= q.choices.size())
    throw ImportError(file, line,
                      std::string("the right answer ") + answer_letter(*q.correct) +
                          " is not one of the choices");
  if (is_true_false_pair(q.choices)) {
    q.true_false = true;
    q.choices = {"True", "False"};
  }
  std::set<std::string> seen;
  for (const auto& c : q.choices)
    if (!seen.insert(lower_ascii(c)).second)
      warnings.push_back({line, "two choices read \"" + c + "\""});
}

}  // namespace

void skip(QuestionImport& out, int line, const std::string& why) {
  out.warnings.push_back({line, "skipped: " + why});
}

void add_question(QuestionImport& out, Question q, int line) {
  if (q.choices.size() > 4) {
    skip(out, line,
         std::to_string(q.choices.size()) + " choices, but a card has only four edges (A-D)");
    return;
  }
  finish(q, out.file, line, out.warnings);
  q.position = static_cast<int>(out.questions.size()) + 1;
  out.questions.push_back(std::move(q));
  out.lines.push_back(line);
}

void require_some_questions(const QuestionImport& out) {
  if (!out.questions.empty()) return;
  if (out.warnings.empty()) throw ImportError(out.file, 0, "no questions found in the file");
  size_t skipped = 0;
  for (const auto& w : out.warnings) skipped += w.message.rfind("skipped: ", 0) == 0;
  const ImportWarning& first = out.warnings.front();
  throw ImportError(out.file, first.line,
                    "no questions found that cardpoll can ask: " +
                        (skipped == 1 ? std::string("the only question was skipped")
                                      : "all " + std::to_string(skipped) + " questions were skipped") +
                        "; first: " + first.message);
}

}  // namespace question_import

using namespace question_import;

namespace {

// ---------------------------------------------------------------- CSV

// Choice column index 0..25 (A..Z) for "a", "choice a", "option b", "answer c", "choice 3".
std::optional<int> choice_column(const std::string& key) {
  std::string rest = key;
  for (const char* p : {"choice ", "option ", "answer ", "response "})
    if (rest.rfind(p, 0) == 0) {
      rest = rest.substr(std::string(p).size());
      break;
    }
  if (rest.size() == 1 && rest[0] >= 'a' && rest[0] <= 'z' && rest != key) return rest[0] - 'a';
  if (key.size() == 1 && key[0] >= 'a' && key[0] <= 'z') return key[0] - 'a';
  if (rest != key && !rest.empty() && rest.size() <= 2 &&
      std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const int n = std::stoi(rest);
    if (n >= 1 && n <= 26) return n - 1;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> split_skills(std::string_view cell) { return split_tag_list(cell); }

QuestionFormat question_format_from_name(std::string_view name) {
  const std::string n = lower_ascii(name);
  if (n == "auto") return QuestionFormat::Auto;
  if (n == "csv") return QuestionFormat::Csv;
  if (n == "aiken") return QuestionFormat::Aiken;
  if (n == "gift") return QuestionFormat::Gift;
  if (n == "xml" || n == "moodle-xml" || n == "moodlexml") return QuestionFormat::MoodleXml;
  throw std::invalid_argument("unknown question format '" + std::string(name) +
                              "' (expected csv, aiken, gift, xml or auto)");
}

std::string_view question_format_name(QuestionFormat f) {
  switch (f) {
    case QuestionFormat::Auto: return "auto";
    case QuestionFormat::Csv: return "csv";
    case QuestionFormat::Aiken: return "aiken";
    case QuestionFormat::Gift: return "gift";
    case QuestionFormat::MoodleXml: return "xml";
  }
  return "?";
}

QuestionImport parse_questions_csv(std::string_view text, const std::string& file_name) {
  const CsvTable table = parse_csv(text, file_name);
  QuestionImport out;
  out.file = file_name;
  out.format = QuestionFormat::Csv;

  std::vector<const CsvRecord*> rows;
  for (const auto& r : table.records) {
    bool blank = true;
    for (const auto& f : r.fields) blank = blank && trim_blanks(f).empty();
    if (!blank) rows.push_back(&r);
  }
  if (rows.empty()) throw ImportError(file_name, 0, "the file is empty: no questions in it");

  const CsvRecord& header = *rows.front();
  int text_col = -1, answer_col = -1, skills_col = -1, image_col = -1, type_col = -1;
  std::map<int, int> choice_cols;  // choice index -> column
  for (size_t k = 0; k < header.fields.size(); ++k) {
    const std::string key = header_key(header.fields[k]);
    const int c = static_cast<int>(k);
    static const std::set<std::string> text_keys = {"question", "question text", "text", "prompt",
                                                    "stem", "questions"};
    static const std::set<std::string> answer_keys = {"answer", "correct", "correct answer", "key",
                                                      "right answer", "solution", "answer key"};
    static const std::set<std::string> skill_keys = {"skill", "skills", "skill tags", "skill tag",
                                                     "standard", "standards", "tags"};
    static const std::set<std::string> image_keys = {"image", "image path", "picture", "img", "image file"};
    if (text_keys.count(key) && text_col < 0) text_col = c;
    else if (answer_keys.count(key) && answer_col < 0) answer_col = c;
    else if (skill_keys.count(key) && skills_col < 0) skills_col = c;
    else if (image_keys.count(key) && image_col < 0) image_col = c;
    else if (key == "type" && type_col < 0) type_col = c;
    else if (auto ch = choice_column(key); ch && !choice_cols.count(*ch)) choice_cols[*ch] = c;
  }
  if (text_col < 0)
    throw ImportError(file_name, header.line,
                      "no \"question\" column in the header row (expected columns such as "
                      "question,A,B,C,D,answer,skill)");
  rows.erase(rows.begin());
  if (rows.empty()) throw ImportError(file_name, header.line, "only a header row: no questions");

  for (const CsvRecord* r : rows) {
    const int line = r->line;
    if (r->fields.size() < header.fields.size() ||
        (r->fields.size() > header.fields.size() &&
         !std::all_of(r->fields.begin() + static_cast<long>(header.fields.size()), r->fields.end(),
                      [](const std::string& f) { return trim_blanks(f).empty(); })))
      throw ImportError(file_name, line,
                        std::to_string(r->fields.size()) + " columns where the header has " +
                            std::to_string(header.fields.size()) +
                            " (text with a comma in it must be in quotes)");
    auto cell = [&](int c) { return c >= 0 ? trim_blanks(r->fields[static_cast<size_t>(c)]) : std::string(); };

    Question q;
    q.text = cell(text_col);
    std::vector<std::string> skills = take_inline_skills(q.text);
    if (skills_col >= 0) add_skills(skills, split_skills(cell(skills_col)));
    q.skills = skills;
    q.image_path = cell(image_col);

    // Choices: contiguous from A; anything filled in past D is an error.
    std::vector<std::string> choices;
    int last_filled = -1;
    for (const auto& [idx, c] : choice_cols)
      if (!cell(c).empty()) last_filled = std::max(last_filled, idx);
    if (last_filled >= 4) {
      skip(out, line,
           std::string("a choice in column ") + static_cast<char>('A' + last_filled) +
               ", but a card has only four edges (A-D)");
      continue;
    }
    for (int idx = 0; idx <= last_filled; ++idx) {
      const auto it = choice_cols.find(idx);
      const std::string v = it == choice_cols.end() ? std::string() : cell(it->second);
      if (v.empty())
        throw ImportError(file_name, line,
                          std::string("choice ") + static_cast<char>('A' + idx) + " is empty but " +
                              static_cast<char>('A' + last_filled) + " is not");
      choices.push_back(v);
    }

    const std::string type = lower_ascii(cell(type_col));
    const std::string answer = lower_ascii(cell(answer_col));
    const bool tf_answer = answer == "t" || answer == "f" || answer == "true" || answer == "false";
    bool tf = type == "tf" || type == "true/false" || type == "true false" || type == "truefalse" ||
              type == "true_false" || (choices.empty() && tf_answer) || is_true_false_pair(choices);
    const bool survey = type == "survey" || type == "poll" || type == "reflection";
    if (!type.empty() && !tf && !survey && type != "mc" && type != "multiple choice" &&
        type != "multichoice")
      throw ImportError(file_name, line,
                        "type \"" + cell(type_col) + "\" is not mc, tf or survey");
    if (tf) {
      if (!choices.empty() && !is_true_false_pair(choices))
        throw ImportError(file_name, line, "a true/false question with choices other than True, False");
      choices = {"True", "False"};
      q.true_false = true;
    }
    q.choices = choices;

    if (answer.empty() || answer == "none" || answer == "survey") {
      // No right answer: a survey or reflection poll.
    } else if (survey) {
      throw ImportError(file_name, line, "a survey question with a right answer \"" + cell(answer_col) + "\"");
    } else if (q.true_false && tf_answer) {
      q.correct = (answer[0] == 't') ? Answer::A : Answer::B;
    } else if (answer.size() == 1 && answer[0] >= 'a' && answer[0] <= 'z') {
      if (answer[0] > 'd')
        throw ImportError(file_name, line,
                          "answer \"" + cell(answer_col) + "\": a card can only answer A-D");
      q.correct = answer_from_letter(static_cast<char>(answer[0] - 'a' + 'A'));
    } else {
      throw ImportError(file_name, line,
                        "answer \"" + cell(answer_col) +
                            "\" is not a letter A-D (or T/F, or empty for a survey)");
    }
    add_question(out, std::move(q), line);
  }
  require_some_questions(out);
  return out;
}

// ---------------------------------------------------------------- any

QuestionImport parse_questions(std::string_view text, const std::string& file_name, QuestionFormat format) {
  if (format == QuestionFormat::Auto) {
    std::string ext = lower_ascii(std::filesystem::path(file_name).extension().string());
    if (ext == ".csv" || ext == ".tsv") format = QuestionFormat::Csv;
    else if (ext == ".gift") format = QuestionFormat::Gift;
    else if (ext == ".aiken") format = QuestionFormat::Aiken;
    else if (ext == ".xml") format = QuestionFormat::MoodleXml;
    else {
      const std::string_view checked = check_text(text, file_name);
      const size_t start = checked.find_first_not_of(" \t\r\n");
      if (start != std::string_view::npos && (checked.compare(start, 5, "<?xml") == 0 || checked.compare(start, 5, "<quiz") == 0))
        return parse_questions_moodle_xml(text, file_name);
      bool brace = false, answer = false;
      for (const auto& l : split_lines(checked)) {
        const std::string t = trim_blanks(l);
        if (t.rfind("//", 0) == 0) continue;
        if (t.find('{') != std::string::npos) brace = true;
        if (starts_with_ci(t, "answer:")) answer = true;
      }
      format = brace ? QuestionFormat::Gift : answer ? QuestionFormat::Aiken : QuestionFormat::Csv;
    }
  }
  switch (format) {
    case QuestionFormat::Csv: return parse_questions_csv(text, file_name);
    case QuestionFormat::Aiken: return parse_questions_aiken(text, file_name);
    case QuestionFormat::Gift: return parse_questions_gift(text, file_name);
    case QuestionFormat::MoodleXml: return parse_questions_moodle_xml(text, file_name);
    case QuestionFormat::Auto: break;
  }
  throw std::logic_error("parse_questions: unreachable");
}

QuestionImport import_questions_file(const std::filesystem::path& path, QuestionFormat format) {
  return parse_questions(read_import_file(path), path.string(), format);
}

}  // namespace cardpoll
