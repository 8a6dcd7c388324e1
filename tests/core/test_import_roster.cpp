// Roster import: every accepted shape, and malformed files refused with the exact line.
#include <gtest/gtest.h>

#include "core/exchange/import_roster.h"
#include "tests/core/logic_fixtures.h"

namespace cardpoll {
namespace {

const std::string kDir = std::string(CARDPOLL_TEST_DATA) + "/import/";

RosterImport load(const std::string& name) { return import_roster_file(kDir + name); }

std::vector<std::string> names(const RosterImport& r) {
  std::vector<std::string> out;
  for (const auto& s : r.students) out.push_back(s.display_name);
  return out;
}
std::vector<int> cards(const RosterImport& r) {
  std::vector<int> out;
  for (const auto& s : r.students) out.push_back(s.card);
  return out;
}

TEST(ImportRoster, NameCardTags) {
  const auto r = load("roster_basic.csv");
  EXPECT_TRUE(r.had_header);
  EXPECT_TRUE(r.cards_from_file);
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana García", "Ben Okafor", "Chloé Martin"}));
  EXPECT_EQ(cards(r), (std::vector<int>{3, 1, 2}));
  EXPECT_EQ(r.lines, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(r.students[0].tags, (std::vector<std::string>{"el", "lang:es"}));
  EXPECT_TRUE(r.students[1].tags.empty());
  EXPECT_EQ(r.students[2].tags, (std::vector<std::string>{"iep", "el"}));
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.file, kDir + "roster_basic.csv");
}

TEST(ImportRoster, SchoolExportWithExtraColumnsAndSequentialCards) {
  const auto r = load("roster_school_export.csv");
  EXPECT_FALSE(r.cards_from_file);
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana García", "Ben Okafor", "Daan van der Berg"}));
  EXPECT_EQ(cards(r), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(r.students[0].first_name, "Ana");
  EXPECT_EQ(r.students[0].last_name, "García");
  EXPECT_EQ(r.students[0].tags, (std::vector<std::string>{"el", "lang:es"}));
}

TEST(ImportRoster, LastCommaFirstWithBomAndCrLf) {
  const auto r = load("roster_last_first_bom_crlf.csv");
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana García", "Ben Okafor", "Siobhán O'Neil"}));
  EXPECT_EQ(r.students[2].first_name, "Siobhán");
  EXPECT_EQ(r.students[2].last_name, "O'Neil");
  EXPECT_EQ(cards(r), (std::vector<int>{7, 12, 4}));
  EXPECT_EQ(r.lines, (std::vector<int>{2, 3, 4}));
}

TEST(ImportRoster, SemicolonSeparatedEuropeanSpreadsheet) {
  const auto r = load("roster_semicolon.csv");
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana García", "Ben; the second", "Zoë Ng"}));
  EXPECT_EQ(cards(r), (std::vector<int>{1, 2, 3}));
}

TEST(ImportRoster, TabSeparatedFirstLast) {
  const auto r = load("roster_tab.tsv");
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana García", "Ben Okafor"}));
  EXPECT_EQ(cards(r), (std::vector<int>{5, 6}));
}

TEST(ImportRoster, HeaderlessNamesSkipBlankLines) {
  const auto r = load("roster_headerless.csv");
  EXPECT_FALSE(r.had_header);
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana García", "Ben Okafor", "Chloé Martin"}));
  EXPECT_EQ(cards(r), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(r.lines, (std::vector<int>{1, 2, 4}));
}

TEST(ImportRoster, HeaderlessCardAndName) {
  const auto r = load("roster_headerless_card.csv");
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana García", "Ben Okafor"}));
  EXPECT_EQ(cards(r), (std::vector<int>{3, 1}));
}

TEST(ImportRoster, SequentialAssignmentStartsWhereAsked) {
  const auto r = parse_roster_csv("name\nAna\nBen\n", "r.csv", {.first_card = 10});
  EXPECT_EQ(cards(r), (std::vector<int>{10, 11}));
}

TEST(ImportRoster, EmptyCardCellsGetFreeNumbersWithAWarning) {
  const auto r = load("roster_missing_cards.csv");
  EXPECT_EQ(cards(r), (std::vector<int>{2, 3, 1, 4}));
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0].line, 3);
  EXPECT_NE(r.warnings[0].message.find("assigned card 3"), std::string::npos);
  EXPECT_EQ(r.warnings[1].line, 5);
}

TEST(ImportRoster, DuplicateNamesAreAWarningNamingBothLines) {
  const auto r = load("roster_duplicate_names.csv");
  EXPECT_EQ(r.students.size(), 3u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].line, 4);
  EXPECT_NE(r.warnings[0].message.find("line 2"), std::string::npos);
}

TEST(ImportRoster, MultiLineCellKeepsLineNumbersPhysical) {
  const auto r = load("roster_multiline.csv");
  EXPECT_EQ(names(r), (std::vector<std::string>{"Ana", "Ben"}));
  EXPECT_EQ(r.lines, (std::vector<int>{2, 5}));
}

TEST(ImportRoster, NamesAreTidiedAndHeaderSpellingsVary) {
  const auto r = parse_roster_csv("  Full_Name: , CARD NO.\n  Ana   María  García ,  4 \n", "r.csv");
  EXPECT_EQ(names(r), std::vector<std::string>{"Ana María García"});
  EXPECT_EQ(cards(r), std::vector<int>{4});
}

TEST(ImportRoster, NonBreakingSpacesAreSpaces) {
  const std::string nbsp = "\xC2\xA0";
  const auto r = parse_roster_csv("name\n" + nbsp + "Ana" + nbsp + nbsp + "García" + nbsp + "\n", "r.csv");
  EXPECT_EQ(r.students[0].display_name, "Ana García");
}

TEST(ImportRoster, DisplayNameColumnWinsOverName) {
  const auto r = parse_roster_csv("name,display name,first name,last name\nAna García,Ana G.,Ana,García\n", "r.csv");
  EXPECT_EQ(r.students[0].display_name, "Ana G.");
  EXPECT_EQ(r.students[0].first_name, "Ana");
  EXPECT_EQ(r.students[0].last_name, "García");
}

TEST(ImportRoster, SplitTags) {
  EXPECT_EQ(split_tags("EL; lang:es  iep,el"), (std::vector<std::string>{"el", "lang:es", "iep"}));
  EXPECT_TRUE(split_tags(" ; ").empty());
}

TEST(ImportRoster, CardsOutsideTheDeckNameTheLine) {
  for (const Deck& deck : all_decks()) {
    const std::string too_big = std::to_string(deck.cards() + 1);
    const auto r = parse_roster_csv("name,card\nAna,1\nBen," + too_big + "\n", "big.csv");
    try {
      check_cards_in_deck(r, deck);
      FAIL() << "card " << too_big << " accepted for deck " << deck.name;
    } catch (const ImportError& e) {
      EXPECT_EQ(e.line, 3);
      EXPECT_EQ(e.file, "big.csv");
      EXPECT_NE(e.message.find("card " + too_big), std::string::npos) << e.what();
      EXPECT_NE(e.message.find(std::string(deck.name)), std::string::npos) << e.what();
    }
    const auto ok = parse_roster_csv("name,card\nAna,1\nBen," + std::to_string(deck.cards()) + "\n", "ok.csv");
    EXPECT_NO_THROW(check_cards_in_deck(ok, deck));
  }
}

// Every malformed roster: the exact line and a word of the message.
using test::BadFile;
class BadRoster : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadRoster, IsRefusedNamingTheLine) {
  test::expect_refused(GetParam(), kDir, [](const std::string& path) { import_roster_file(path); });
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadRoster,
    ::testing::Values(BadFile{"bad_roster_empty.csv", 0, "empty"},                       //
                      BadFile{"bad_roster_blank_lines.csv", 0, "empty"},                 //
                      BadFile{"bad_roster_header_only.csv", 1, "only a header"},         //
                      BadFile{"bad_roster_no_name_column.csv", 1, "no name column"},     //
                      BadFile{"bad_roster_empty_name.csv", 3, "no name"},                //
                      BadFile{"bad_roster_card_text.csv", 3, "\"12a\" is not a whole number"},
                      BadFile{"bad_roster_card_zero.csv", 4, "numbered from 1"},         //
                      BadFile{"bad_roster_card_negative.csv", 2, "not a whole number"},  //
                      BadFile{"bad_roster_card_huge.csv", 2, "too large"},               //
                      BadFile{"bad_roster_duplicate_card.csv", 4, "already given on line 2"},
                      BadFile{"bad_roster_duplicate_card_after_multiline.csv", 4, "already given on line 2"},
                      BadFile{"bad_roster_column_count.csv", 3, "3 columns where the header has 2"},
                      BadFile{"bad_roster_short_row.csv", 3, "1 columns where the header has 3"},
                      BadFile{"bad_roster_latin1.csv", 3, "invalid UTF-8"},              //
                      BadFile{"bad_roster_binary.csv", 3, "binary"},                     //
                      BadFile{"bad_roster_utf16.csv", 0, "UTF-16"},                      //
                      BadFile{"bad_roster_xlsx.csv", 0, "zip"},                          //
                      BadFile{"bad_roster_unterminated_quote.csv", 3, "never closed"},   //
                      BadFile{"bad_roster_text_after_quote.csv", 2, "after a closing quote"},
                      BadFile{"bad_roster_headerless_three.csv", 1, "no header row"},    //
                      BadFile{"bad_roster_headerless_no_numbers.csv", 1, "no header row"},
                      BadFile{"bad_roster_newline_in_name.csv", 3, "line break"},        //
                      BadFile{"bad_roster_bad_last_first.csv", 3, "not \"Last, First\""},
                      BadFile{"does_not_exist.csv", 0, "cannot open"}),
    test::bad_file_name);

}  // namespace
}  // namespace cardpoll
