// Question-set import: CSV, Moodle Aiken and the multiple-choice / true-false subset of
// Moodle GIFT. Pure parsing (no database); storage stores the result in one transaction.
//
// Every question has 2-4 choices (A-D: a card has four edges) or is true/false (choices
// {"True","False"}, A = True, B = False), a right answer or none (survey / reflection poll),
// and skill tags. docs/data-formats.md documents each format, with examples, and the
// skill-tag conventions:
//   - CSV: a "skill" / "skills" column, tags separated by ';' ',' or spaces;
//   - Aiken and GIFT: a line "// skill: fractions.equivalent, fractions.compare" directly
//     before the question (a GIFT comment, so Moodle ignores it), or "[skill: a b]" anywhere
//     in the question text (removed from the text);
//   - GIFT "$CATEGORY: $course$/Fractions/Equivalent" gives the following questions that
//     have no explicit skill the tag "fractions.equivalent".
// Questions cardpoll cannot ask are skipped with a warning naming their line (FILE:LINE), and
// the rest of the file imports: more than four choices (a card has four edges), and GIFT
// short answer, numerical, matching, essay, descriptions and several right answers (several
// positive percentage weights). GIFT weights: the one choice at 100 % is the right answer.
// Moodle text (GIFT, Aiken, Moodle XML) is cleaned for the projector (core/exchange/moodle_text.h).
// A file in which every question is skipped is refused.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/model.h"

namespace cardpoll {

enum class QuestionFormat { Auto, Csv, Aiken, Gift, MoodleXml };

struct QuestionImport {
  std::string file;
  QuestionFormat format = QuestionFormat::Auto;  // the format actually parsed
  std::vector<Question> questions;               // positions 1..n; ids 0
  std::vector<int> lines;                        // lines[i]: where questions[i] starts
  std::vector<ImportWarning> warnings;
};

// "csv", "aiken", "gift", "xml", "auto" -> format; std::invalid_argument naming the word otherwise.
QuestionFormat question_format_from_name(std::string_view name);
std::string_view question_format_name(QuestionFormat f);

// Each throws ImportError(file, line, message) on bad input and never returns a partial set.
// An input without any importable question is an error too.
QuestionImport parse_questions_csv(std::string_view text, const std::string& file_name);
QuestionImport parse_questions_aiken(std::string_view text, const std::string& file_name);
QuestionImport parse_questions_gift(std::string_view text, const std::string& file_name);
// Moodle XML (<quiz><question type="...">): multichoice with one right answer (fraction 100)
// and truefalse; every other type (and a multichoice with several right answers or more than
// four choices) is skipped with a warning naming the question and its line. Parsed by
// libxml2 without network access or entity expansion.
QuestionImport parse_questions_moodle_xml(std::string_view text, const std::string& file_name);

// Auto: ".csv" -> CSV, ".gift" -> GIFT, ".aiken" -> Aiken, ".xml" -> Moodle XML; otherwise (".txt", no extension)
// by content: "<?xml"/"<quiz" -> Moodle XML, an answer block '{...}' -> GIFT, an "ANSWER:" line -> Aiken, else CSV.
QuestionImport parse_questions(std::string_view text, const std::string& file_name,
                               QuestionFormat format = QuestionFormat::Auto);
QuestionImport import_questions_file(const std::filesystem::path& path,
                                     QuestionFormat format = QuestionFormat::Auto);

// Splits a skills cell ("fractions.equivalent; fractions.compare") into tags, trimmed,
// lower-cased, duplicates removed, order kept.
std::vector<std::string> split_skills(std::string_view cell);

}  // namespace cardpoll
