// Exports of a hand-made session: golden files byte for byte, plus the properties that matter
// to a teacher (formulas neutralised, HTML escaped, stable header, JSON complete).
//
// Golden files live in tests/data/export/. After an intended change of an export, regenerate
// them with
//   CARDPOLL_UPDATE_GOLDEN=1 ./cardpoll_core_tests --gtest_filter='ExportGolden.*'
// and review the diff (git diff tests/data/export) before committing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>

#include "core/csv.h"
#include "core/exchange/export.h"
#include "core/json.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

using test::kT0;
using test::sample_session;

const std::string kGoldenDir = std::string(CARDPOLL_TEST_DATA) + "/export/";

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + name;
  const char* update = std::getenv("CARDPOLL_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    std::printf("updated golden file %s\n", path.c_str());
  }
  const std::string expected = test::read_file(path);
  ASSERT_FALSE(expected.empty()) << "missing golden file " << path
                                 << " (CARDPOLL_UPDATE_GOLDEN=1 writes it)";
  if (expected != actual) {
    size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
    FAIL() << name << " differs from the golden file at byte " << at << ":\n  golden: "
           << expected.substr(at, 60) << "\n  actual: " << actual.substr(at, 60)
           << "\n(after an intended change: CARDPOLL_UPDATE_GOLDEN=1)";
  }
}

TEST(ExportGolden, Responses) { check_golden("sample.responses.csv", export_responses_csv(sample_session())); }
TEST(ExportGolden, Scoresheet) { check_golden("sample.scoresheet.csv", export_scoresheet_csv(sample_session())); }
TEST(ExportGolden, Json) { check_golden("sample.json", export_json(sample_session())); }
TEST(ExportGolden, Html) {
  // The page shows local times: the golden file is written in UTC.
  const char* tz = std::getenv("TZ");
  const std::string old_tz = tz ? tz : "";
  setenv("TZ", "UTC", 1);
  tzset();
  check_golden("sample.html", export_html(sample_session()));
  if (tz) setenv("TZ", old_tz.c_str(), 1);
  else unsetenv("TZ");
  tzset();
}

TEST(ExportHtml, TimesAreLocalWithTheirZone) {
  const char* tz = std::getenv("TZ");
  const std::string old_tz = tz ? tz : "";
  setenv("TZ", "America/New_York", 1);
  tzset();
  const std::string html = export_html(sample_session());
  if (tz) setenv("TZ", old_tz.c_str(), 1);
  else unsetenv("TZ");
  tzset();
  // 09:00 UTC on 4 March 2026 is 04:00 in New York (EST).
  EXPECT_NE(html.find("started 2026-03-04 04:00 EST"), std::string::npos);
  EXPECT_EQ(html.find("T09:00:00.000Z"), std::string::npos);
}

TEST(ExportResponses, HeaderIsExactlyTheContract) {
  const std::string csv = export_responses_csv(sample_session());
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "session_id,ask_number,question_id,question_text,skill,card,student,answer,correct,answered_at");
  EXPECT_STREQ(kResponsesHeader,
               "session_id,ask_number,question_id,question_text,skill,card,student,answer,correct,answered_at");
}

TEST(ExportResponses, OneRowPerStudentPerAskReadBackByOurOwnReader) {
  const SessionData s = sample_session();
  const CsvTable t = parse_csv(export_responses_csv(s), "responses.csv");
  ASSERT_EQ(t.records.size(), 1 + s.asks.size() * s.students.size());
  for (const auto& r : t.records) ASSERT_EQ(r.fields.size(), 10u);
  // Ask 1, Ben: changed A -> B; the last change is the answer and its time.
  const auto& ben = t.records[2].fields;
  EXPECT_EQ(ben[0], "7");
  EXPECT_EQ(ben[1], "1");
  EXPECT_EQ(ben[2], "101");
  EXPECT_EQ(ben[4], "fractions.equivalent");
  EXPECT_EQ(ben[5], "2");
  EXPECT_EQ(ben[6], "Ben Okafor");
  EXPECT_EQ(ben[7], "B");
  EXPECT_EQ(ben[8], "1");
  EXPECT_EQ(ben[9], iso8601_utc(kT0 + 60 * 1000 + 9500));
  // The student who never answered ask 1: empty answer, empty correct, empty time.
  const auto& none = t.records[4].fields;
  EXPECT_EQ(none[7], "");
  EXPECT_EQ(none[8], "");
  EXPECT_EQ(none[9], "");
  // A spreadsheet formula as a name is neutralised.
  EXPECT_EQ(none[6], "'=HYPERLINK(\"http://evil.example\",\"click\")");
  // Wrong answer: 0. Survey: correct empty even when answered.
  EXPECT_EQ(t.records[3].fields[8], "0");
  const auto& survey = t.records[1 + 2 * 4].fields;
  EXPECT_EQ(survey[1], "3");
  EXPECT_EQ(survey[7], "A");
  EXPECT_EQ(survey[8], "");
  // Quotes, commas and line breaks in question text survive; two skills joined by ';'.
  const auto& q4 = t.records[1 + 4 * 4].fields;
  EXPECT_EQ(q4[3], "Pick the \"odd one\" out, carefully:\n2/4, 3/6, 4/6");
  EXPECT_EQ(q4[4], "fractions.equivalent;fractions.compare");
  // Every line ends CRLF (RFC 4180).
  const std::string csv = export_responses_csv(s);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
}

TEST(ExportScoresheet, ARowPerStudentAColumnPerAskAndTotals) {
  const CsvTable t = parse_csv(export_scoresheet_csv(sample_session()), "s.csv");
  ASSERT_EQ(t.records.size(), 5u);
  EXPECT_EQ(t.records[0].fields,
            (std::vector<std::string>{"card", "student", "ask 1 (Q1 key B)", "ask 2 (Q2 key A)", "ask 3 (Q3 survey)",
                                      "ask 4 (Q1 key B)", "ask 5 (Q4 key C)", "right", "out_of", "percent", "answered"}));
  EXPECT_EQ(t.records[2].fields, (std::vector<std::string>{"2", "Ben Okafor", "B right", "B wrong", "C", "B right",
                                                           "A wrong", "2", "4", "50.0", "5"}));
  EXPECT_EQ(t.records[4].fields[1], "'=HYPERLINK(\"http://evil.example\",\"click\")");
  EXPECT_EQ(t.records[4].fields[2], "");
  EXPECT_EQ(t.records[4].fields[9], "0.0");
}

TEST(ExportJson, EverythingOfTheSessionReadsBack) {
  const SessionData s = sample_session();
  const JsonValue v = parse_json(export_json(s));
  EXPECT_EQ(v["format"].str(), "cardpoll-session");
  EXPECT_EQ(v["version"].num(), 1);
  EXPECT_EQ(v["class"]["name"].str(), "Period 3 Maths");
  EXPECT_EQ(v["session"]["started_at"].str(), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(v["students"].arr().size(), 4u);
  EXPECT_EQ(v["students"][2]["display_name"].str(), "<script>alert(\"x\")</script>");
  EXPECT_EQ(v["students"][0]["tags"][1].str(), "lang:es");
  EXPECT_EQ(v["question_set"]["questions"].arr().size(), 4u);
  EXPECT_TRUE(v["question_set"]["questions"][2]["correct"].is_null());
  EXPECT_TRUE(v["question_set"]["questions"][1]["true_false"].boolean());
  EXPECT_EQ(v["asks"].arr().size(), 5u);
  EXPECT_EQ(v["asks"][0]["tally"]["counts"]["B"].num(), 2);
  EXPECT_FALSE(v["asks"][1]["tally"]["counts"].has("C"));  // true/false: two choices
  EXPECT_TRUE(v["asks"][2]["tally"]["percent_right"].is_null());
  EXPECT_TRUE(v["asks"][4]["closed_at"].is_null());
  EXPECT_EQ(v["responses"].arr().size(), s.responses.size());
  EXPECT_EQ(v["changes"].arr().size(), s.changes.size());
  EXPECT_EQ(v["changes"].arr().size(), 16u);
  EXPECT_EQ(v["unassigned_cards"][0].num(), 37);
  EXPECT_EQ(v["scores"][1]["percent"].num(), 50);
  EXPECT_EQ(v["mastery"]["skills"].arr().size(), 2u);
  EXPECT_EQ(v["mastery"]["students"][0]["skills"]["fractions.equivalent"]["level"].str(), "mastered");
  EXPECT_EQ(v["mastery"]["students"][1]["skills"]["fractions.equivalent"]["missed_asks"][0].num(), 5);
}

TEST(ExportHtml, SelfContainedEscapedAndMarksTheRightAnswerInWords) {
  const std::string h = export_html(sample_session());
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(h.find("<script"), std::string::npos);  // the student named <script> is escaped
  EXPECT_NE(h.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  for (const char* external : {"src=", "href=", "<link", "@import", "url(", "https://"})
    EXPECT_EQ(h.find(external), std::string::npos) << external;
  // The only "http://" allowed: the SVG namespace (a name, never fetched) and the escaped student name.
  size_t pos = 0;
  int http = 0;
  while ((pos = h.find("http://", pos)) != std::string::npos) {
    const bool ok = h.compare(pos, 26, "http://www.w3.org/2000/svg") == 0 ||
                    h.compare(pos, 14, "http://evil.ex") == 0;
    EXPECT_TRUE(ok) << h.substr(pos, 40);
    ++pos;
    ++http;
  }
  EXPECT_GT(http, 0);
  // One "right answer" mark per ask with a right answer (4 of 5), one chart per ask.
  size_t marks = 0;
  for (pos = 0; (pos = h.find("right answer</text>", pos)) != std::string::npos; ++pos) ++marks;
  EXPECT_EQ(marks, 4u);
  size_t svgs = 0;
  for (pos = 0; (pos = h.find("<svg ", pos)) != std::string::npos; ++pos) ++svgs;
  EXPECT_EQ(svgs, 6u);  // 5 bar charts + the heat map
  EXPECT_NE(h.find(">M</text>"), std::string::npos);
  EXPECT_NE(h.find(">?</text>"), std::string::npos);
  EXPECT_NE(h.find("Not answered: =HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)"), std::string::npos);
  EXPECT_NE(h.find("no student in this class holds: 37"), std::string::npos);
}

TEST(Export, AStudentWithoutACardHasAnEmptyCardCell) {
  SessionData s = sample_session();
  s.students[1].card = 0;  // Ben left the class after answering
  const CsvTable t = parse_csv(export_responses_csv(s), "r.csv");
  EXPECT_EQ(t.records[2].fields[5], "");
  EXPECT_EQ(t.records[2].fields[6], "Ben Okafor");
  EXPECT_EQ(parse_csv(export_scoresheet_csv(s), "s.csv").records[2].fields[0], "");
  const JsonValue v = parse_json(export_json(s));
  EXPECT_TRUE(v["students"][1]["card"].is_null());
}

TEST(ExportHtml, NoSkillsNoAsks) {
  SessionData s = sample_session();
  s.asks.clear();
  s.responses.clear();
  s.changes.clear();
  const std::string h = export_html(s);
  EXPECT_NE(h.find("No skill-tagged questions"), std::string::npos);
  EXPECT_NO_THROW(parse_json(export_json(s)));
  EXPECT_EQ(export_responses_csv(s), std::string(kResponsesHeader) + "\r\n");
}

TEST(Export, FormatNamesAndTimes) {
  EXPECT_EQ(export_format_from_name("html"), ExportFormat::Html);
  EXPECT_EQ(export_format_from_name("scoresheet"), ExportFormat::Scoresheet);
  EXPECT_FALSE(export_format_from_name("xlsx").has_value());
  EXPECT_EQ(export_format_name(ExportFormat::Responses), "responses");
  EXPECT_EQ(export_format_names(), "responses|scoresheet|json|html");
  EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso8601_utc(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(iso8601_utc(kT0 + 250), "2026-03-04T09:00:00.250Z");
  EXPECT_EQ(iso8601_utc(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  const SessionData s = sample_session();
  EXPECT_EQ(export_session(s, ExportFormat::Json), export_json(s));
}

}  // namespace
}  // namespace cardpoll
