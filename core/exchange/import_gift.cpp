// Moodle GIFT, the multiple-choice and true/false subset: "::title:: text {=right ~wrong}",
// "{T}" / "{FALSE}", percentage weights, feedback after '#', "$CATEGORY:" lines, comments.
#include <algorithm>
#include <optional>

#include "core/exchange/import_questions.h"
#include "core/exchange/import_questions_common.h"
#include "core/exchange/moodle_text.h"

namespace cardpoll {

using namespace question_import;

namespace {

// One question's raw text with the line of every byte, so errors inside it name the line.
struct GiftItem {
  std::string raw;
  std::vector<int> line_at;
  int start = 0;
  std::vector<std::string> skills;  // from "// skill:" comments
  std::string category;             // last $CATEGORY before it
  int line_of(size_t pos) const { return line_at[std::min(pos, line_at.size() - 1)]; }
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

// Where the question text starts: after an optional ::title::.
size_t after_title(const GiftItem& item, const std::string& file) {
  const std::string& s = item.raw;
  size_t pos = 0;
  while (pos < s.size() && is_space(s[pos])) ++pos;
  if (s.compare(pos, 2, "::") != 0) return pos;
  size_t end = pos + 2;
  for (;;) {
    end = find_unescaped(s, ':', end);
    if (end == std::string::npos || (end + 1 < s.size() && s[end + 1] == ':')) break;
    ++end;
  }
  if (end == std::string::npos)
    throw ImportError(file, item.line_of(pos), "a title \"::\" that is never closed (write ::title:: before the question)");
  return end + 2;
}

// GIFT text as the projector shows it: escapes resolved, Moodle's markers and HTML cleaned.
std::string gift_text(std::string_view raw) { return clean_moodle_text(gift_unescape(drop_format_marker(raw))); }

// One answer of an answer block: '=' right, '~' wrong, with its weight when it has one.
struct GiftAnswer {
  char kind;
  std::string text;
  int line;
  std::optional<double> weight;  // "%50%" -> 50
};

// The answers of a multiple-choice block; nullopt (with a warning) for the other question
// types, which are skipped.
std::optional<std::vector<GiftAnswer>> gift_answers(const GiftItem& item, size_t open, const std::string& block,
                                                    QuestionImport& out) {
  std::vector<GiftAnswer> answers;
  bool in_feedback = false;
  for (size_t i = 0; i < block.size(); ++i) {
    const char c = block[i];
    if (c == '\\' && i + 1 < block.size()) {
      if (!in_feedback && !answers.empty()) answers.back().text += block.substr(i, 2);
      ++i;
      continue;
    }
    if (c == '=' || c == '~') {
      answers.push_back({c, "", item.line_of(open + 1 + i), std::nullopt});
      in_feedback = false;
    } else if (c == '#') {
      in_feedback = true;
    } else if (!in_feedback && !answers.empty()) {
      answers.back().text += c;
    } else if (answers.empty() && !is_space(c)) {
      skip(out, item.start, "not a multiple-choice or true/false answer block");
      return std::nullopt;
    }
  }
  for (auto& a : answers) {
    std::string v = trim_blanks(a.text);
    const size_t arrow = v.find("->");
    if (arrow != std::string::npos && (arrow == 0 || v[arrow - 1] != '\\')) {
      skip(out, item.start, "a matching question (->)");
      return std::nullopt;
    }
    if (!v.empty() && v[0] == '%') {
      const size_t end = v.find('%', 1);
      if (end == std::string::npos)
        throw ImportError(out.file, a.line, "a weight \"%\" that is never closed (write for example ~%50%answer)");
      try {
        size_t used = 0;
        a.weight = std::stod(v.substr(1, end - 1), &used);
        if (used != end - 1) throw std::invalid_argument("trailing text");
      } catch (const std::exception&) {
        throw ImportError(out.file, a.line, "weight \"" + v.substr(0, end + 1) + "\" is not a number");
      }
      v = trim_blanks(v.substr(end + 1));
    }
    a.text = gift_text(v);
  }
  return answers;
}

// The right answer among weighted answers: the one at 100 % (an '=' without a weight counts
// as 100 %). Several answers with a positive weight are several right answers (partial
// credit), which a card cannot give: nullopt with a warning. No right answer at all is a
// survey (index -1).
std::optional<int> right_answer(const GiftItem& item, const std::vector<GiftAnswer>& answers, QuestionImport& out) {
  int right = -1, positive = 0, plain_right = 0, wrong = 0;
  for (size_t k = 0; k < answers.size(); ++k) {
    const GiftAnswer& a = answers[k];
    const double w = a.weight ? *a.weight : (a.kind == '=' ? 100.0 : 0.0);
    if (a.kind == '=' && !a.weight) ++plain_right;
    if (a.kind == '~' || w <= 0) ++wrong;
    if (w > 0) ++positive;
    if (w >= 100) right = static_cast<int>(k);
  }
  if (wrong == 0) {
    skip(out, item.start, "a short-answer question (only '=' answers, nothing to choose between)");
    return std::nullopt;
  }
  if (plain_right > 1 || positive > 1) {
    skip(out, item.start,
         "several right answers (" + std::to_string(std::max(plain_right, positive)) +
             " answers earn marks); a card gives one answer");
    return std::nullopt;
  }
  if (positive == 1 && right < 0) {
    skip(out, item.start, "partial credit only: no answer is worth 100 %");
    return std::nullopt;
  }
  return right;
}

// One GIFT question: text, then the answer block decides its type.
void parse_gift_item(const GiftItem& item, const std::string& file, QuestionImport& out) {
  const std::string& s = item.raw;
  const size_t pos = after_title(item, file);
  const size_t open = find_unescaped(s, '{', pos);
  if (open == std::string::npos) {
    skip(out, item.start, "no answer block {...}: a description, not a question");
    return;
  }
  const size_t close = find_unescaped(s, '}', open + 1);
  if (close == std::string::npos)
    throw ImportError(file, item.line_of(open), "an answer block \"{\" that is never closed");

  Question q;
  q.text = gift_text(s.substr(pos, open - pos));
  const std::string after = trim_blanks(s.substr(close + 1));
  if (!after.empty()) q.text = trim_blanks(q.text + " _____ " + gift_text(after));  // "missing word" form
  std::vector<std::string> skills = item.skills;
  add_skills(skills, take_inline_skills(q.text));
  if (skills.empty() && !item.category.empty()) {
    const std::string c = category_skill(item.category);
    if (!c.empty()) skills.push_back(c);
  }
  q.skills = skills;

  const std::string block = s.substr(open + 1, close - open - 1);
  const std::string body = trim_blanks(block);
  if (body.empty()) return skip(out, item.start, "an essay question {} (cardpoll asks A-D questions)");
  if (body[0] == '#') return skip(out, item.start, "a numerical question {#...}");
  const std::string tf = lower_ascii(trim_blanks(body.substr(0, find_unescaped(body, '#', 0))));
  if (tf == "t" || tf == "true" || tf == "f" || tf == "false") {
    q.choices = {"True", "False"};
    q.true_false = true;
    q.correct = tf[0] == 't' ? Answer::A : Answer::B;
    return add_question(out, std::move(q), item.start);
  }

  const auto answers = gift_answers(item, open, block, out);
  if (!answers) return;
  const auto right = right_answer(item, *answers, out);
  if (!right) return;
  for (size_t k = 0; k < answers->size(); ++k) {
    if ((*answers)[k].text.empty() && k < 4)
      throw ImportError(file, (*answers)[k].line, std::string("choice ") + static_cast<char>('A' + k) + " is empty");
    q.choices.push_back((*answers)[k].text);
  }
  // No right answer at all ({~yes ~no ~unsure}): a survey (a cardpoll reading).
  if (*right >= 0) q.correct = static_cast<Answer>(*right);
  add_question(out, std::move(q), item.start);
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
    const std::string t = trim_blanks(lines[k]);
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
      category = trim_blanks(t.substr(10));
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
  require_some_questions(out);
  return out;
}

}  // namespace cardpoll
