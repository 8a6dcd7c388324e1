// CSV in and out, plus the import error type every importer throws.
//
// Reading: RFC 4180 (quoted fields, doubled quotes, commas and newlines inside quotes, CRLF or
// LF), UTF-8 with or without a byte-order mark, and the `;` or tab separated files European
// spreadsheets write (detected from the first record). Every record knows the physical line
// it starts on, so errors can say `roster.csv:14`.
//
// Writing: every cell quoted when RFC 4180 needs it, and spreadsheet formulas neutralised:
// a cell starting with = + - @ tab or CR gets a leading single quote, so a student named
// "=HYPERLINK(...)" is shown as text, never run, when a teacher opens the export.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cardpoll {

// Bad input in an imported file. what() is "file:line: message" ("file: message" when the
// problem is the whole file, line 0). Importers never return partial results: they throw.
struct ImportError : std::runtime_error {
  ImportError(std::string file, int line, std::string message);
  std::string file;
  int line = 0;         // 1-based physical line; 0 = the file as a whole
  std::string message;  // without the file:line prefix
};

// Something accepted but worth telling the teacher ("line 7: skipped a matching question").
struct ImportWarning {
  int line = 0;
  std::string message;
};
// "file:line: message" for printing.
std::string format_warning(const std::string& file, const ImportWarning& w);

struct CsvRecord {
  int line = 0;                     // physical line where the record starts (1-based)
  std::vector<std::string> fields;  // unquoted, unescaped; UTF-8
};

struct CsvTable {
  char separator = ',';             // ',' ';' or '\t' as used (detected or given)
  std::vector<CsvRecord> records;   // blank lines are kept as one empty field
};

// Checks that `text` is plain UTF-8 text: refuses NUL bytes (binary), UTF-16 byte-order marks,
// zip files (.xlsx/.ods saved under the wrong name) and invalid UTF-8 sequences, naming the
// line. Returns the text without a UTF-8 byte-order mark. Used by every importer.
std::string_view check_text(std::string_view text, const std::string& file_name);

// Reads a whole file for import; ImportError(file, 0, ...) when it cannot be read.
std::string read_import_file(const std::filesystem::path& path);
// The largest file an import reads (a school's whole question bank is a few MB).
inline constexpr uintmax_t kMaxImportBytes = 64ull << 20;

// The separator of the first record outside quotes: the most frequent of ',' ';' '\t'
// (',' when none appears).
char detect_separator(std::string_view text);

// Parses CSV text (already checked or not: check_text is applied). `separator` 0 = detect
// (an Excel "sep=;" first line names it and is skipped).
// Throws ImportError for an unterminated quoted field (naming the line where it opened) and
// for text after a closing quote ("a"b,c), naming that line.
CsvTable parse_csv(std::string_view text, const std::string& file_name, char separator = 0);

// Small text helpers the importers share.
// Without spaces, tabs, CR and LF at either end.
std::string trim_blanks(std::string_view s);
// A-Z lower-cased; other bytes (UTF-8) unchanged.
std::string lower_ascii(std::string_view s);
// What a header cell means whatever its spelling: "  First_Name: " -> "first name"
// (lower-cased, '_' and '-' as spaces, runs of spaces as one, trailing ':' '.' ')' dropped).
std::string header_key(std::string_view cell);
// A list of tags in one cell, separated by ';' ',' or white space: lower-cased, duplicates
// dropped, order kept. "EL; lang:es  iep" -> {"el", "lang:es", "iep"}.
std::vector<std::string> split_tag_list(std::string_view cell);

// A spreadsheet-safe cell: leading ' added when the value starts with = + - @ tab or CR.
std::string neutralise_formula(std::string_view value);
// One cell as written: neutralised, then quoted when it contains the separator, a quote,
// CR or LF (quotes doubled) or has leading/trailing spaces.
std::string csv_cell(std::string_view value, char separator = ',');
// One record, cells joined by `separator`, ending with CRLF as RFC 4180 says.
std::string csv_row(const std::vector<std::string>& cells, char separator = ',');

}  // namespace cardpoll
