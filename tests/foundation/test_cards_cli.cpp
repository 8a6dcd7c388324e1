// `cardpoll cards` as a user runs it: the PNG patterns it writes carry the deck's distance
// properties, the PDF is well formed, and bad input leaves no file behind.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/deck.h"
#include "display/print/pattern.h"
#include "tests/foundation/plickers_rule.h"
#include "tests/support/cardpoll_cli.h"

using namespace cardpoll;
namespace fs = std::filesystem;

namespace {

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

CommandResult run(const std::string& args) {
  const auto r = test_support::run_cardpoll_line(args);
  return {r.exit_code, r.all()};
}

fs::path fresh_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("cardpoll-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

// Reads the cells of a pattern PNG by sampling the centre of each cell, and checks every
// pixel is pure black or white.
std::vector<uint8_t> sample_cells(const fs::path& png, int grid, int* px_per_cell) {
  const auto img = print::read_grey_png(png);
  EXPECT_EQ(img.side % grid, 0) << png;
  *px_per_cell = img.side / grid;
  for (uint8_t v : img.pixels) {
    if (v != 0 && v != 255) {
      ADD_FAILURE() << png << " has a grey pixel " << int(v);
      break;
    }
  }
  std::vector<uint8_t> cells(static_cast<size_t>(grid * grid));
  for (int r = 0; r < grid; ++r)
    for (int c = 0; c < grid; ++c) {
      const int y = r * *px_per_cell + *px_per_cell / 2, x = c * *px_per_cell + *px_per_cell / 2;
      cells[static_cast<size_t>(r * grid + c)] = img.pixels[static_cast<size_t>(y * img.side + x)] == 0;
    }
  return cells;
}

}  // namespace

// The acceptance test: sample the cells of each PNG the command writes and check
// every card and all four of its rotations against every other.
TEST(CardsCommand, PatternPngsHaveTheDeckDistance) {
  for (const Deck& d : all_decks()) {
    const fs::path dir = fresh_dir(std::string(d.name));
    const CommandResult r = run("cards --deck " + std::string(d.name) + " --format png --pattern-only --out " + dir.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::vector<uint8_t>> words;  // every card, every rotation
    for (int n = 1; n <= d.cards(); ++n) {
      int px = 0;
      const auto cells = sample_cells(dir / (std::to_string(n) + ".png"), d.grid, &px);
      EXPECT_GE(px, 20);
      // Upright, fixed cells right, and it is card n.
      auto m = identify(d, cells, 0, 0);
      ASSERT_TRUE(m) << d.name << " card " << n;
      EXPECT_EQ(m->card, n);
      EXPECT_EQ(m->answer, Answer::A);
      for (int a = 0; a < 4; ++a) words.push_back(rotate_ccw(cells, d.grid, a));
    }
    EXPECT_FALSE(fs::exists(dir / (std::to_string(d.cards() + 1) + ".png")));
    int best = 99;
    for (size_t i = 0; i < words.size(); ++i)
      for (size_t j = i + 1; j < words.size(); ++j) {
        int dist = 0;
        for (size_t k = 0; k < words[i].size(); ++k) dist += words[i][k] != words[j][k];
        best = std::min(best, dist);
      }
    EXPECT_GE(best, d.name == "plickers" ? 2 : 3) << d.name;
    EXPECT_EQ(best, d.min_distance) << d.name;
    fs::remove_all(dir);
  }
}

TEST(CardsCommand, WritesAPdfWithOnePagePerCardGroup) {
  const fs::path dir = fresh_dir("pdf");
  for (int per_page : {1, 2, 4}) {
    const fs::path out = dir / ("c" + std::to_string(per_page) + ".pdf");
    const CommandResult r = run("cards --deck classroom --cards 1-9 --per-page " + std::to_string(per_page) +
                      " --paper a4 --out " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const std::string pdf = slurp(out);
    EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(count(pdf, "/Type /Page\n") + count(pdf, "/Type /Page "), (9 + per_page - 1) / per_page)
        << per_page;
  }
  fs::remove_all(dir);
}

TEST(CardsCommand, RosterNamesGoOnTheCards) {
  const fs::path dir = fresh_dir("roster");
  std::ofstream(dir / "roster.csv") << "name,card\nAna Garcia,3\nBen Okafor,5\n";
  const CommandResult r = run("cards --roster " + (dir / "roster.csv").string() + " --out " + (dir / "c.pdf").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("wrote 2 classroom cards"), std::string::npos) << r.output;
  fs::remove_all(dir);
}

TEST(CardsCommand, FullCardPngsAreWritten) {
  const fs::path dir = fresh_dir("fullpng");
  const CommandResult r = run("cards --format png --cards 2 --dpi 100 --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_GT(fs::file_size(dir / "2.png"), 1000u);
  fs::remove_all(dir);
}

TEST(CardsCommand, BadInputNamesTheValueAndLeavesNoFile) {
  const fs::path dir = fresh_dir("bad");
  const std::string out = (dir / "x.pdf").string();
  struct Case {
    std::string args, expect;
    int code;
  };
  std::ofstream(dir / "big.csv") << "name,card\nAna,3\nBen,77\n";
  const std::vector<Case> cases = {
      {"cards --deck tiny --out " + out, "unknown deck 'tiny'", 2},
      {"cards --cards 1-60 --out " + out, "card 60", 2},
      {"cards --cards 0 --out " + out, "card 0", 2},
      {"cards --per-page 3 --out " + out, "--per-page 3", 2},
      {"cards --paper legal --out " + out, "--paper legal", 2},
      {"cards --format svg --out " + out, "--format svg", 2},
      {"cards --out /nonexistent-dir/x.pdf", "/nonexistent-dir/x.pdf", 1},
      {"cards --roster " + (dir / "missing.csv").string() + " --out " + out, "missing.csv", 1},
      {"cards --roster " + (dir / "big.csv").string() + " --out " + out, "77", 1},
      {"cards --format png --pattern-only --px-per-cell 5 --out " + (dir / "p").string(), "--px-per-cell 5", 2},
      {"cards --format png --pattern-only --out " + (dir / "big.csv").string(), "not a folder", 1},
  };
  for (const Case& c : cases) {
    const CommandResult r = run(c.args);
    EXPECT_EQ(r.exit_code, c.code) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(out)) << c.args;
  }
  EXPECT_FALSE(fs::exists(dir / "p"));
  // Nothing but the inputs we wrote.
  int files = 0;
  for (auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  fs::remove_all(dir);
}

TEST(DecksCommand, ListsDecksWithMeasuredDistance) {
  const CommandResult r = run("decks");
  ASSERT_EQ(r.exit_code, 0);
  for (const Deck& d : all_decks()) {
    EXPECT_NE(r.output.find(std::string(d.name)), std::string::npos);
    EXPECT_NE(r.output.find(std::to_string(d.cards())), std::string::npos);
  }
}

// The Plickers-format deck as `cardpoll cards` renders it: every pattern PNG, sampled, is
// the card its file is named after by the rule printed on the class's own cards.
TEST(CardsCommand, PlickersPatternsFollowThePrintedRule) {
  const fs::path dir = fresh_dir("plickers-rule");
  const CommandResult r = run("cards --deck plickers --format png --pattern-only --px-per-cell 24 --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("wrote 63 pattern PNG files"), std::string::npos) << r.output;
  for (int n = 1; n <= 63; ++n) {
    int px = 0;
    const auto cells = sample_cells(dir / (std::to_string(n) + ".png"), 5, &px);
    EXPECT_EQ(px, 24);
    EXPECT_EQ(test_support::plickers_number_by_the_rule(cells), n) << n << ".png";
    // Turned to any other answer it is no card by the rule: the answer is the edge on top.
    for (int a = 1; a < 4; ++a) EXPECT_EQ(test_support::plickers_number_by_the_rule(rotate_ccw(cells, 5, a)), -1) << n;
  }
  EXPECT_FALSE(fs::exists(dir / "64.png"));
  fs::remove_all(dir);
}

// Replacement cards for lost ones: cardpoll's own layout, and no other product's name in
// the file (title, creator, or any text outside the compressed page content).
TEST(CardsCommand, PlickersReplacementCardsCarryOnlyCardpollsName) {
  const fs::path dir = fresh_dir("plickers-pdf");
  const fs::path out = dir / "lost.pdf";
  const CommandResult r = run("cards --deck plickers --cards 14,43,63 --per-page 2 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string pdf = slurp(out);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(count(pdf, "/Type /Page\n") + count(pdf, "/Type /Page "), 2);
  std::string lower = pdf;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(lower.find("plickers"), std::string::npos);
  EXPECT_NE(pdf.find("cardpoll"), std::string::npos);
  // Outside the deck: refused, nothing written.
  const CommandResult bad = run("cards --deck plickers --cards 64 --out " + (dir / "bad.pdf").string());
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("card 64"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir / "bad.pdf"));
  fs::remove_all(dir);
}

TEST(DecksCommand, ShowsThePlickersDeckItsNoteAndItsOverlapWithClassroom) {
  const CommandResult r = run("decks");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const DeckOverlap o = deck_overlap(*find_deck("plickers"), *find_deck("classroom"));
  EXPECT_NE(r.output.find("for cards the class already owns"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("plickers and classroom: " + std::to_string(o.identical.size()) + " plickers cards"),
            std::string::npos) << r.output;
  EXPECT_NE(r.output.find("14 (= classroom 32 held A)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(std::to_string(o.one_cell_apart) + " more one cell from a classroom card"), std::string::npos)
      << r.output;
  // The plickers row: 63 cards, distance 2.
  bool row = false;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("plickers ", 0) == 0) {
      std::istringstream w(line);
      std::string name, grid;
      int cards = 0, bits = 0, distance = 0;
      w >> name >> cards >> grid >> bits >> distance;
      EXPECT_EQ(cards, 63);
      EXPECT_EQ(distance, 2);
      row = true;
    }
  EXPECT_TRUE(row) << r.output;
}
