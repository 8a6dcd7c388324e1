// CSV reading (RFC 4180, separators, line numbers, text checks) and writing (quoting,
// formula neutralisation).
#include <gtest/gtest.h>

#include "core/csv.h"

namespace cardpoll {
namespace {

std::vector<std::vector<std::string>> fields(const CsvTable& t) {
  std::vector<std::vector<std::string>> out;
  for (const auto& r : t.records) out.push_back(r.fields);
  return out;
}

int error_line(std::string_view text, char sep = 0) {
  try {
    parse_csv(text, "t.csv", sep);
  } catch (const ImportError& e) {
    return e.line;
  }
  return -1;
}

TEST(Csv, PlainRecordsWithLf) {
  const auto t = parse_csv("a,b,c\n1,2,3\n", "t.csv");
  EXPECT_EQ(t.separator, ',');
  EXPECT_EQ(fields(t), (std::vector<std::vector<std::string>>{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(t.records[1].line, 2);
}

TEST(Csv, QuotedFieldsDoubledQuotesCommasAndNewlines) {
  const auto t = parse_csv("name,note\r\n\"García, Ana\",\"said \"\"hi\"\"\r\nthen left\"\r\nBen,x\r\n", "t.csv");
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[1].fields[0], "García, Ana");
  EXPECT_EQ(t.records[1].fields[1], "said \"hi\"\r\nthen left");
  EXPECT_EQ(t.records[1].line, 2);
  EXPECT_EQ(t.records[2].line, 4);  // the physical line, after the embedded line break
  EXPECT_EQ(t.records[2].fields, (std::vector<std::string>{"Ben", "x"}));
}

TEST(Csv, EmptyFieldsAndNoFinalNewline) {
  const auto t = parse_csv("a,,c\n,\n\"\",x", "t.csv");
  EXPECT_EQ(fields(t), (std::vector<std::vector<std::string>>{{"a", "", "c"}, {"", ""}, {"", "x"}}));
}

TEST(Csv, BlankLinesAreKeptAsEmptyRecordsWithTheirLines) {
  const auto t = parse_csv("a\n\nb\n", "t.csv");
  ASSERT_EQ(t.records.size(), 3u);
  EXPECT_EQ(t.records[1].fields, std::vector<std::string>{""});
  EXPECT_EQ(t.records[2].line, 3);
}

TEST(Csv, LoneCarriageReturnLineEndings) {
  const auto t = parse_csv("a,b\rc,d\r", "t.csv");
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[1].line, 2);
  EXPECT_EQ(t.records[1].fields[1], "d");
}

TEST(Csv, ByteOrderMarkIsDropped) {
  const auto t = parse_csv("\xEF\xBB\xBFname\nAna\n", "t.csv");
  EXPECT_EQ(t.records[0].fields[0], "name");
}

TEST(Csv, DetectsSemicolonAndTabSeparators) {
  EXPECT_EQ(detect_separator("Name;Card;Tags\n"), ';');
  EXPECT_EQ(detect_separator("\xEF\xBB\xBFName;Card\n"), ';');
  EXPECT_EQ(detect_separator("Name\tCard\n"), '\t');
  EXPECT_EQ(detect_separator("Name,Card\n"), ',');
  EXPECT_EQ(detect_separator("Name\n"), ',');
  // Separators inside quotes do not count.
  EXPECT_EQ(detect_separator("\"a;b;c;d\",x\n"), ',');
  const auto t = parse_csv("Name;Note\n\"Ana; G\";\"1,5\"\n", "t.csv");
  EXPECT_EQ(t.separator, ';');
  EXPECT_EQ(t.records[1].fields, (std::vector<std::string>{"Ana; G", "1,5"}));
}

TEST(Csv, ExcelSepLineNamesTheSeparator) {
  const auto t = parse_csv("sep=;\r\nname;card\r\nAna, G;1\r\n", "t.csv");
  EXPECT_EQ(t.separator, ';');
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].line, 2);
  EXPECT_EQ(t.records[1].fields, (std::vector<std::string>{"Ana, G", "1"}));
  // "sep=" followed by more text is an ordinary first record.
  EXPECT_EQ(parse_csv("sep=abc\n", "t.csv").records[0].fields[0], "sep=abc");
}

TEST(Csv, GivenSeparatorOverridesDetection) {
  const auto t = parse_csv("a;b,c\n", "t.csv", ',');
  EXPECT_EQ(t.records[0].fields, (std::vector<std::string>{"a;b", "c"}));
}

TEST(Csv, SpacesAroundQuotedFieldsAreTolerated) {
  const auto t = parse_csv("a, \"b, c\" ,d\n", "t.csv");
  EXPECT_EQ(t.records[0].fields, (std::vector<std::string>{"a", "b, c", "d"}));
}

TEST(Csv, UnterminatedQuoteNamesTheLineWhereItOpened) {
  EXPECT_EQ(error_line("a,b\nc,\"d\ne\nf\n"), 2);
}

TEST(Csv, TextAfterClosingQuoteIsAnError) { EXPECT_EQ(error_line("a\n\"x\"y,z\n"), 2); }

TEST(Csv, InvalidUtf8NamesTheLine) {
  EXPECT_EQ(error_line("ok\nok\nbad \xE9 byte\n"), 3);
  EXPECT_EQ(error_line("\xC0\xAF overlong\n"), 1);
  EXPECT_EQ(error_line("x\n\xED\xA0\x80 surrogate\n"), 2);
  EXPECT_EQ(error_line("x\n\xF4\x90\x80\x80 too big\n"), 2);
  EXPECT_EQ(error_line("truncated \xE2\x82"), 1);
}

TEST(Csv, BinaryAndWrongEncodingsAreRefused) {
  EXPECT_EQ(error_line(std::string_view("a\nb\0c", 5)), 2);
  EXPECT_EQ(error_line("\xFF\xFEn\0a\0", 0), 0);
  EXPECT_EQ(error_line("PK\x03\x04zzz"), 0);
  try {
    parse_csv("PK\x03\x04zzz", "class.csv");
    FAIL();
  } catch (const ImportError& e) {
    EXPECT_NE(std::string(e.what()).find("class.csv: "), std::string::npos);
    EXPECT_NE(e.message.find("CSV UTF-8"), std::string::npos);
  }
}

TEST(Csv, ImportErrorFormatsFileAndLine) {
  const ImportError e("roster.csv", 14, "card 3 is already given on line 2");
  EXPECT_STREQ(e.what(), "roster.csv:14: card 3 is already given on line 2");
  EXPECT_STREQ(ImportError("r.csv", 0, "empty").what(), "r.csv: empty");
  EXPECT_EQ(format_warning("r.csv", {3, "same name"}), "r.csv:3: same name");
}

TEST(Csv, ValidUtf8PassesIncludingFourByteCharacters) {
  const auto t = parse_csv("Zoë,日本,😀\n", "t.csv");
  EXPECT_EQ(t.records[0].fields[2], "😀");
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell(""), "");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_cell("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_cell(" padded "), "\" padded \"");
  EXPECT_EQ(csv_cell("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(csv_cell("a;b", ','), "a;b");
}

TEST(CsvWriter, NeutralisesFormulas) {
  EXPECT_EQ(csv_cell("=1+1"), "'=1+1");
  EXPECT_EQ(csv_cell("+33 6"), "'+33 6");
  EXPECT_EQ(csv_cell("-2"), "'-2");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("\tTAB"), "'\tTAB");
  EXPECT_EQ(csv_cell("\r=x"), "\"'\r=x\"");
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://e\",\"x\")"), "\"'=HYPERLINK(\"\"http://e\"\",\"\"x\"\")\"");
  // Only the first character matters.
  EXPECT_EQ(csv_cell("a=b"), "a=b");
  EXPECT_EQ(neutralise_formula("'already"), "'already");
}

TEST(CsvWriter, RowEndsWithCrLfAndRoundTrips) {
  const std::vector<std::string> cells = {"García, Ana", "say \"hi\"", "multi\nline", "", "x"};
  const std::string row = csv_row(cells);
  EXPECT_EQ(row.substr(row.size() - 2), "\r\n");
  const auto t = parse_csv(row + csv_row({"next"}), "t.csv");
  ASSERT_EQ(t.records.size(), 2u);
  EXPECT_EQ(t.records[0].fields, cells);
  EXPECT_EQ(t.records[1].line, 3);
}

}  // namespace
}  // namespace cardpoll
