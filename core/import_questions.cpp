#include "core/import_questions.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace cardpoll {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string trim(std::string_view s) { return trim_blanks(s); }

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
  // Tidy the spaces the markers left behind.
  std::string out;
  for (char c : text) {
    if (c == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) continue;
    if (c == '\n' && !out.empty() && out.back() == ' ') out.pop_back();
    out += c;
  }
  text = trim(out);
  return skills;
}

// "// skill: a, b" comment line -> tags; nullopt when the line is not a skill comment.
std::optional<std::vector<std::string>> skill_comment(std::string_view line) {
  std::string t = trim(line);
  if (t.rfind("//", 0) != 0) return std::nullopt;
  t = trim(std::string_view(t).substr(2));
  if (starts_with_ci(t, "skills:")) return split_skills(std::string_view(t).substr(7));
  if (starts_with_ci(t, "skill:")) return split_skills(std::string_view(t).substr(6));
  return std::nullopt;
}

bool is_true_false_pair(const std::vector<std::string>& choices) {
  return choices.size() == 2 && lower_ascii(choices[0]) == "true" && lower_ascii(choices[1]) == "false";
}

// Checks common to every format; fills true/false from the choices.
void finish(Question& q, const std::string& file, int line, std::vector<ImportWarning>& warnings) {
  if (q.text.empty()) throw ImportError(file, line, "a question without text");
  if (q.choices.size() < 2)
    throw ImportError(file, line, "a question needs at least two choices (A and B)");
  if (q.choices.size() > 4)
    throw ImportError(file, line,
                      std::to_string(q.choices.size()) +
                          " choices: a card has only four edges, so at most A-D");
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

QuestionImport no_questions(const std::string& file, const QuestionImport& r) {
  std::string why = "no questions found";
  if (!r.warnings.empty())
    why += " (" + std::to_string(r.warnings.size()) + " skipped; first: line " +
           std::to_string(r.warnings.front().line) + ": " + r.warnings.front().message + ")";
  throw ImportError(file, 0, why);
}

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
  throw std::invalid_argument("unknown question format '" + std::string(name) +
                              "' (expected csv, aiken, gift or auto)");
}

std::string_view question_format_name(QuestionFormat f) {
  switch (f) {
    case QuestionFormat::Auto: return "auto";
    case QuestionFormat::Csv: return "csv";
    case QuestionFormat::Aiken: return "aiken";
    case QuestionFormat::Gift: return "gift";
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
    for (const auto& f : r.fields) blank = blank && trim(f).empty();
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
                      [](const std::string& f) { return trim(f).empty(); })))
      throw ImportError(file_name, line,
                        std::to_string(r->fields.size()) + " columns where the header has " +
                            std::to_string(header.fields.size()) +
                            " (text with a comma in it must be in quotes)");
    auto cell = [&](int c) { return c >= 0 ? trim(r->fields[static_cast<size_t>(c)]) : std::string(); };

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
    if (last_filled >= 4)
      throw ImportError(file_name, line,
                        std::string("a choice in column ") + static_cast<char>('A' + last_filled) +
                            ": a card has only four edges, so at most A-D");
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
    finish(q, file_name, line, out.warnings);
    q.position = static_cast<int>(out.questions.size()) + 1;
    out.questions.push_back(std::move(q));
    out.lines.push_back(line);
  }
  return out;
}

// ---------------------------------------------------------------- Aiken

QuestionImport parse_questions_aiken(std::string_view raw, const std::string& file_name) {
  const std::vector<std::string> lines = split_lines(check_text(raw, file_name));
  QuestionImport out;
  out.file = file_name;
  out.format = QuestionFormat::Aiken;

  std::vector<std::string> pending_skills;  // from "// skill:" lines before the question
  bool in_question = false;
  int start = 0;
  std::vector<std::string> text_lines;
  Question q;

  for (size_t k = 0; k < lines.size(); ++k) {
    const int line = static_cast<int>(k) + 1;
    const std::string t = trim(lines[k]);
    if (t.empty()) continue;  // blank lines separate questions; Moodle ignores them anywhere
    if (!in_question && t.rfind("//", 0) == 0) {
      if (auto s = skill_comment(t)) add_skills(pending_skills, *s);
      continue;  // a comment before a question (a cardpoll extension; Moodle has none)
    }
    // "A. text" or "A) text"
    const bool option_like = t.size() >= 3 && t[0] >= 'A' && t[0] <= 'Z' && (t[1] == '.' || t[1] == ')') &&
                             (t[2] == ' ' || t[2] == '\t');
    const bool answer_line = starts_with_ci(t, "answer:") ||
                             (starts_with_ci(t, "answer") && trim(t.substr(6)).rfind(':', 0) == 0);
    if (!in_question) {
      if (answer_line) throw ImportError(file_name, line, "an ANSWER: line without a question before it");
      in_question = true;
      start = line;
      text_lines.clear();
      q = Question{};
    }
    if (answer_line) {
      if (q.choices.size() < 2)
        throw ImportError(file_name, line, "ANSWER: before the choices A. and B.");
      const std::string v = trim(t.substr(t.find(':') + 1));
      if (v.size() != 1 || v[0] < 'A' || v[0] > 'Z') {
        if (v.empty()) throw ImportError(file_name, line, "ANSWER: without a letter");
        throw ImportError(file_name, line, "ANSWER: \"" + v + "\" is not one letter A-D");
      }
      if (static_cast<size_t>(v[0] - 'A') >= q.choices.size())
        throw ImportError(file_name, line,
                          "ANSWER: " + v + " is not one of the choices A-" +
                              std::string(1, static_cast<char>('A' + q.choices.size() - 1)));
      q.correct = answer_from_letter(v[0]);
      std::string text;
      for (size_t i = 0; i < text_lines.size(); ++i) text += (i ? "\n" : "") + text_lines[i];
      q.text = text;
      std::vector<std::string> skills = pending_skills;
      add_skills(skills, take_inline_skills(q.text));
      q.skills = skills;
      finish(q, file_name, start, out.warnings);
      q.position = static_cast<int>(out.questions.size()) + 1;
      out.questions.push_back(std::move(q));
      out.lines.push_back(start);
      pending_skills.clear();
      in_question = false;
      continue;
    }
    if (q.choices.empty() && !(option_like && t[0] == 'A')) {
      text_lines.push_back(t);  // question text, possibly over several lines
      continue;
    }
    if (!option_like)
      throw ImportError(file_name, line,
                        "expected choice " + std::string(1, static_cast<char>('A' + q.choices.size())) +
                            ". or an ANSWER: line (a question's text goes before its choices)");
    if (q.choices.size() >= 4 || t[0] > 'D')
      throw ImportError(file_name, line,
                        std::string("choice ") + t[0] + ": a card has only four edges, so at most A-D");
    if (static_cast<size_t>(t[0] - 'A') != q.choices.size())
      throw ImportError(file_name, line,
                        std::string("choice ") + t[0] + " where " +
                            static_cast<char>('A' + q.choices.size()) + " was expected");
    if (text_lines.empty()) throw ImportError(file_name, line, "choices without a question before them");
    const std::string choice = trim(t.substr(3));
    if (choice.empty()) throw ImportError(file_name, line, std::string("choice ") + t[0] + " is empty");
    q.choices.push_back(choice);
  }
  if (in_question)
    throw ImportError(file_name, start, "this question has no \"ANSWER: <letter>\" line");
  if (out.questions.empty()) no_questions(file_name, out);
  return out;
}

// ---------------------------------------------------------------- GIFT

namespace {

// One question's raw text with the line of every byte, so errors inside it name the line.
struct GiftItem {
  std::string raw;
  std::vector<int> line_at;
  int start = 0;
  std::vector<std::string> skills;  // from "// skill:" comments
  std::string category;             // last $CATEGORY before it
};

const std::string kGiftSpecials = "=~#{}:\\";

// Next position >= from of an unescaped c, or npos.
size_t find_unescaped(const std::string& s, char c, size_t from) {
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == c) return i;
  }
  return std::string::npos;
}

std::string gift_unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[i + 1];
      if (kGiftSpecials.find(n) != std::string::npos) {
        out += n;
        ++i;
        continue;
      }
      if (n == 'n') {
        out += '\n';
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// Trims every line of a multi-line text and drops empty ones at the ends.
std::string tidy_text(std::string_view s) {
  std::string out;
  for (const auto& l : split_lines(s)) {
    const std::string t = trim(l);
    if (t.empty() && (out.empty() || out.back() == '\n')) continue;
    out += t;
    out += '\n';
  }
  return trim(out);
}

// "$course$/top/Fractions/Equivalent fractions" -> "fractions.equivalent_fractions"
std::string category_skill(std::string_view cat) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : std::string(cat) + "/") {
    if (c == '/') {
      const std::string p = trim(cur);
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

// Adds a skipped-question warning.
void skip(QuestionImport& out, int line, const std::string& why) {
  out.warnings.push_back({line, "skipped: " + why});
}

void parse_gift_item(const GiftItem& item, const std::string& file, QuestionImport& out) {
  const std::string& s = item.raw;
  auto line_of = [&](size_t pos) { return item.line_at[std::min(pos, item.line_at.size() - 1)]; };
  size_t pos = 0;
  while (pos < s.size() && is_space(s[pos])) ++pos;

  // Optional ::title::
  if (s.compare(pos, 2, "::") == 0) {
    size_t end = pos + 2;
    for (;;) {
      end = find_unescaped(s, ':', end);
      if (end == std::string::npos || (end + 1 < s.size() && s[end + 1] == ':')) break;
      ++end;
    }
    if (end == std::string::npos) throw ImportError(file, line_of(pos), "a title \"::\" that is never closed");
    pos = end + 2;
  }

  const size_t open = find_unescaped(s, '{', pos);
  if (open == std::string::npos) {
    skip(out, item.start, "no answer block {...}: a description, not a question");
    return;
  }
  const size_t close = find_unescaped(s, '}', open + 1);
  if (close == std::string::npos)
    throw ImportError(file, line_of(open), "an answer block \"{\" that is never closed");

  std::string before = s.substr(pos, open - pos);
  const std::string after = trim(s.substr(close + 1));
  // Text format markers ([html] [moodle] [plain] [markdown]) are not part of the text.
  {
    const std::string b = trim(before);
    for (const char* m : {"[html]", "[moodle]", "[plain]", "[markdown]"})
      if (starts_with_ci(b, m)) {
        before = b.substr(std::string(m).size());
        break;
      }
  }
  std::string text = tidy_text(gift_unescape(before));
  if (!after.empty()) text += " _____ " + tidy_text(gift_unescape(after));  // "missing word" form
  text = trim(text);

  Question q;
  std::vector<std::string> skills = item.skills;
  q.text = text;
  add_skills(skills, take_inline_skills(q.text));
  if (skills.empty() && !item.category.empty()) {
    const std::string c = category_skill(item.category);
    if (!c.empty()) skills.push_back(c);
  }
  q.skills = skills;

  const std::string block = s.substr(open + 1, close - open - 1);
  const std::string body = trim(block);
  if (body.empty()) {
    skip(out, item.start, "an essay question {} (cardpoll asks A-D questions)");
    return;
  }
  if (body[0] == '#') {
    skip(out, item.start, "a numerical question {#...}");
    return;
  }
  {
    const size_t fb = find_unescaped(body, '#', 0);
    const std::string tf = lower_ascii(trim(body.substr(0, fb)));
    if (tf == "t" || tf == "true" || tf == "f" || tf == "false") {
      q.choices = {"True", "False"};
      q.true_false = true;
      q.correct = tf[0] == 't' ? Answer::A : Answer::B;
      finish(q, file, item.start, out.warnings);
      q.position = static_cast<int>(out.questions.size()) + 1;
      out.questions.push_back(std::move(q));
      out.lines.push_back(item.start);
      return;
    }
  }

  // Answers: each starts at an unescaped '=' or '~'; '#' starts its feedback.
  struct Token {
    char kind;
    std::string text;
    int line;
  };
  std::vector<Token> tokens;
  bool in_feedback = false;
  for (size_t i = 0; i < block.size(); ++i) {
    const char c = block[i];
    const size_t abs = open + 1 + i;
    if (c == '\\' && i + 1 < block.size()) {
      if (!in_feedback && !tokens.empty()) tokens.back().text += block.substr(i, 2);
      ++i;
      continue;
    }
    if (c == '=' || c == '~') {
      tokens.push_back({c, "", line_of(abs)});
      in_feedback = false;
      continue;
    }
    if (c == '#') {
      in_feedback = true;
      continue;
    }
    if (in_feedback) continue;
    if (tokens.empty()) {
      if (!is_space(c)) {
        skip(out, item.start, "not a multiple-choice or true/false answer block");
        return;
      }
      continue;
    }
    tokens.back().text += c;
  }
  int right = 0, wrong = 0;
  for (auto& t : tokens) {
    std::string v = trim(t.text);
    const size_t arrow = v.find("->");
    if (arrow != std::string::npos && (arrow == 0 || v[arrow - 1] != '\\')) {
      skip(out, item.start, "a matching question (->)");
      return;
    }
    if (!v.empty() && v[0] == '%') {
      const size_t end = v.find('%', 1);
      if (end == std::string::npos) throw ImportError(file, t.line, "a weight \"%\" that is never closed");
      double w = 0;
      try {
        w = std::stod(v.substr(1, end - 1));
      } catch (const std::exception&) {
        throw ImportError(file, t.line, "weight \"" + v.substr(0, end + 1) + "\" is not a number");
      }
      v = trim(v.substr(end + 1));
      if ((t.kind == '=' && w != 100) || (t.kind == '~' && w > 0)) {
        skip(out, item.start, "partial-credit weights (several right answers)");
        return;
      }
    }
    t.text = tidy_text(gift_unescape(v));
    (t.kind == '=' ? right : wrong) += 1;
  }
  if (wrong == 0) {
    skip(out, item.start, "a short-answer question (only '=' answers)");
    return;
  }
  if (right > 1) {
    skip(out, item.start, "more than one right answer");
    return;
  }
  if (tokens.size() > 4)
    throw ImportError(file, tokens[4].line,
                      std::to_string(tokens.size()) +
                          " choices: a card has only four edges, so at most A-D");
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].text.empty())
      throw ImportError(file, tokens[k].line, std::string("choice ") + static_cast<char>('A' + k) + " is empty");
    q.choices.push_back(tokens[k].text);
    if (tokens[k].kind == '=') q.correct = static_cast<Answer>(k);
  }
  // No '=' at all ({~yes ~no ~unsure}): a survey with no right answer (a cardpoll reading).
  finish(q, file, item.start, out.warnings);
  q.position = static_cast<int>(out.questions.size()) + 1;
  out.questions.push_back(std::move(q));
  out.lines.push_back(item.start);
}

}  // namespace

QuestionImport parse_questions_gift(std::string_view raw, const std::string& file_name) {
  const std::vector<std::string> lines = split_lines(check_text(raw, file_name));
  QuestionImport out;
  out.file = file_name;
  out.format = QuestionFormat::Gift;

  std::vector<GiftItem> items;
  GiftItem cur;
  bool collecting = false;
  int depth = 0;       // inside an answer block: blank lines do not end the question
  int open_line = 0;
  std::string category;
  std::vector<std::string> pending_skills;

  auto end_item = [&] {
    if (collecting) items.push_back(std::move(cur));
    cur = GiftItem{};
    collecting = false;
  };

  for (size_t k = 0; k < lines.size(); ++k) {
    const int line = static_cast<int>(k) + 1;
    const std::string t = trim(lines[k]);
    if (t.rfind("//", 0) == 0) {  // a comment line (Moodle drops them anywhere)
      if (auto sk = skill_comment(t)) add_skills(collecting ? cur.skills : pending_skills, *sk);
      continue;
    }
    if (t.empty()) {
      if (depth == 0) end_item();
      else if (collecting) {
        cur.raw += '\n';
        cur.line_at.push_back(line);
      }
      continue;
    }
    if (!collecting && depth == 0 && starts_with_ci(t, "$category:")) {
      category = trim(t.substr(10));
      continue;
    }
    if (!collecting) {
      collecting = true;
      cur.start = line;
      cur.skills = pending_skills;
      cur.category = category;
      pending_skills.clear();
    } else {
      cur.raw += '\n';
      cur.line_at.push_back(line);
    }
    for (size_t i = 0; i < lines[k].size(); ++i) {
      const char c = lines[k][i];
      cur.raw += c;
      cur.line_at.push_back(line);
      if (c == '\\' && i + 1 < lines[k].size()) {
        cur.raw += lines[k][++i];
        cur.line_at.push_back(line);
        continue;
      }
      if (c == '{') {
        if (depth > 0) throw ImportError(file_name, line, "a '{' inside an answer block (write \\{ for a brace)");
        depth = 1;
        open_line = line;
      } else if (c == '}') {
        if (depth == 0) throw ImportError(file_name, line, "a '}' without an answer block '{' before it");
        depth = 0;
      }
    }
  }
  if (depth > 0) throw ImportError(file_name, open_line, "an answer block \"{\" that is never closed");
  end_item();

  for (const auto& item : items) parse_gift_item(item, file_name, out);
  if (out.questions.empty()) no_questions(file_name, out);
  return out;
}

// ---------------------------------------------------------------- any

QuestionImport parse_questions(std::string_view text, const std::string& file_name, QuestionFormat format) {
  if (format == QuestionFormat::Auto) {
    std::string ext = lower_ascii(std::filesystem::path(file_name).extension().string());
    if (ext == ".csv" || ext == ".tsv") format = QuestionFormat::Csv;
    else if (ext == ".gift") format = QuestionFormat::Gift;
    else if (ext == ".aiken") format = QuestionFormat::Aiken;
    else {
      const std::string_view checked = check_text(text, file_name);
      bool brace = false, answer = false;
      for (const auto& l : split_lines(checked)) {
        const std::string t = trim(l);
        if (t.rfind("//", 0) == 0) continue;
        if (find_unescaped(t, '{', 0) != std::string::npos) brace = true;
        if (starts_with_ci(t, "answer:")) answer = true;
      }
      format = brace ? QuestionFormat::Gift : answer ? QuestionFormat::Aiken : QuestionFormat::Csv;
    }
  }
  switch (format) {
    case QuestionFormat::Csv: return parse_questions_csv(text, file_name);
    case QuestionFormat::Aiken: return parse_questions_aiken(text, file_name);
    case QuestionFormat::Gift: return parse_questions_gift(text, file_name);
    case QuestionFormat::Auto: break;
  }
  throw std::logic_error("parse_questions: unreachable");
}

QuestionImport import_questions_file(const std::filesystem::path& path, QuestionFormat format) {
  return parse_questions(read_import_file(path), path.string(), format);
}

}  // namespace cardpoll
