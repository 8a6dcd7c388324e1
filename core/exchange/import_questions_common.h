// What the question importers (CSV, Aiken, GIFT, Moodle XML: one file each) share: lines,
// skill tags, the checks every question passes, and how a skipped question is reported.
// Internal to core/; the public interface is core/exchange/import_questions.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/exchange/import_questions.h"

namespace cardpoll::question_import {

bool is_space(char c);
bool starts_with_ci(std::string_view s, std::string_view prefix);
// Physical lines (CRLF, LF or a lone CR).
std::vector<std::string> split_lines(std::string_view text);
// Appends the tags of `more` not yet in `to`.
void add_skills(std::vector<std::string>& to, const std::vector<std::string>& more);
// Removes every "[skill: a b]" / "[skills: a, b]" marker from the text; returns their tags.
std::vector<std::string> take_inline_skills(std::string& text);
// "// skill: a, b" comment line -> tags; nullopt when the line is not a skill comment.
std::optional<std::vector<std::string>> skill_comment(std::string_view line);
bool is_true_false_pair(const std::vector<std::string>& choices);
// A Moodle category path as a skill tag (GIFT $CATEGORY, Moodle XML category questions):
// "$course$/top/Fractions/Equivalent fractions" -> "fractions.equivalent_fractions".
std::string category_skill(std::string_view category);

// A question read from `line`: checked (text, 2-4 non-empty choices, the right answer one of
// them; throws ImportError for what the teacher must fix), numbered and added to `out`.
// A question with more than four choices cannot be asked with a card: it is skipped with a
// warning instead, and the rest of the file imports.
void add_question(QuestionImport& out, Question q, int line);
// A question cardpoll cannot ask, reported with the line where it starts.
void skip(QuestionImport& out, int line, const std::string& why);
// Throws when nothing could be imported (every question skipped, or none at all).
void require_some_questions(const QuestionImport& out);

}  // namespace cardpoll::question_import
