// cardpoll cards: print a deck (PDF), or write its patterns as PNG files.
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "app/cli.h"
#include "app/roster_names.h"
#include "core/deck.h"
#include "display/print/card_pdf.h"
#include "display/print/command_cards.h"
#include "display/print/pattern.h"

namespace cardpoll::app {
namespace {

namespace fs = std::filesystem;

const char* kUsage =
    "Usage: cardpoll cards --deck NAME [--out cards.pdf] [--paper letter|a4]\n"
    "                      [--per-page 1|2|4] [--cards 1-30] [--roster FILE]\n"
    "       cardpoll cards --commands [--questions N] [--paper letter|a4] [--out commands.pdf]\n"
    "       cardpoll cards --deck NAME --format png [--pattern-only] [--px-per-cell N]\n"
    "                      [--dpi N] [--cards RANGE] --out DIR\n\n"
    "Prints answer cards. Each card shows its pattern with a white margin, the letters\n"
    "A-D small at the edges (turn the card so your answer is on top), the card number,\n"
    "and the student's name when a roster is given. Cut along the marks.\n\n"
    "Options:\n"
    "  --deck NAME        classroom (default) or large; see `cardpoll decks`. plickers:\n"
    "                     a replacement for a lost Plickers-format card (same pattern,\n"
    "                     cardpoll's layout); that deck is for cards a class already\n"
    "                     has: for new cards print classroom. Never mix the two in one\n"
    "                     room: some cards of one read as cards of the other.\n"
    "  --out PATH         the PDF (default: cards-<deck>.pdf) or, for PNG, a folder\n"
    "  --paper P          letter (default) or a4\n"
    "  --per-page N       1 (default, largest cards), 2 or 4\n"
    "  --cards RANGE      which cards, e.g. 1-30 or 1-10,15 (default: the whole deck,\n"
    "                     or the roster's cards when --roster is given)\n"
    "  --roster FILE      a roster CSV (as for `cardpoll class import`): each card gets\n"
    "                     its student's name\n"
    "  --format pdf|png   pdf (default) or png: one DIR/<card>.png per card\n"
    "  --pattern-only     png: the pattern alone: image extent = pattern extent, no\n"
    "                     margin or text, grey, black 0 white 255, upright (A on top).\n"
    "                     This format is stable; tests and outside tools depend on it.\n"
    "  --px-per-cell N    png --pattern-only: pixels per cell (20 to 400, default 20)\n"
    "  --dpi N            png without --pattern-only: resolution (72 to 1200, default 150)\n"
    "  --commands         the QR command cards for `cardpoll live` instead, four to a page:\n"
    "                     next, prev, reveal, scan/start, scan/stop, groups and\n"
    "                     question/1..N (payloads cardpoll:next ...; stable)\n"
    "  --questions N      --commands: question cards 1..N (1 to 99, default 10)\n";

int run_cards(const Context&, const std::vector<std::string>& args) {
  const auto a = parse_args(args, {{"deck", true}, {"out", true}, {"paper", true},
                                   {"per-page", true}, {"cards", true}, {"roster", true},
                                   {"format", true}, {"pattern-only", false},
                                   {"px-per-cell", true}, {"dpi", true}, {"commands", false},
                                   {"questions", true}});
  if (!a.positional.empty()) throw UsageError("unexpected '" + a.positional[0] + "'");
  if (a.has("commands")) {
    for (const char* o : {"deck", "per-page", "cards", "roster", "format", "pattern-only", "px-per-cell", "dpi"})
      if (a.has(o)) throw UsageError(std::string("--") + o + " is not for --commands");
    const std::string paper = a.get_or("paper", "letter");
    if (paper != "letter" && paper != "a4") throw UsageError("--paper " + paper + ": expected letter or a4");
    const int questions = a.get_int("questions", 10, 1, 99);
    const fs::path out = a.get_or("out", "commands.pdf");
    print::write_command_cards_pdf(out, questions, paper == "a4" ? print::Paper::A4 : print::Paper::Letter);
    std::printf("wrote %zu command cards to %s\n", lesson::command_card_set(questions).size(), out.c_str());
    return 0;
  }
  if (a.has("questions")) throw UsageError("--questions is for --commands");
  const std::string deck_name = a.get_or("deck", "classroom");
  const Deck* deck = find_deck(deck_name);
  if (!deck) throw UsageError("unknown deck '" + deck_name + "' (decks: " + deck_names() + ")");

  const std::string format = a.get_or("format", "pdf");
  if (format != "pdf" && format != "png")
    throw UsageError("--format " + format + ": expected pdf or png");

  std::map<int, std::string> names;
  if (auto roster = a.get("roster")) names = roster_names_by_card(*roster, *deck);

  std::vector<int> cards;
  if (auto range = a.get("cards")) {
    try {
      cards = parse_card_range(*range, deck->cards());
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--cards: ") + e.what() + " of deck '" + deck_name + "'");
    }
  } else if (!names.empty()) {
    for (const auto& [card, name] : names) cards.push_back(card);
  } else {
    for (int c = 1; c <= deck->cards(); ++c) cards.push_back(c);
  }

  if (format == "png") {
    if (a.has("paper") || a.has("per-page"))
      throw UsageError("--paper and --per-page are for PDF output");
    const auto out = a.get("out");
    if (!out) throw UsageError("--format png needs --out DIR");
    const bool pattern_only = a.has("pattern-only");
    const int px = a.get_int("px-per-cell", 20, 20, 400);
    const int dpi = a.get_int("dpi", 150, 72, 1200);
    const fs::path dir = *out;
    std::error_code ec;
    const bool existed = fs::exists(dir, ec);
    if (existed && !fs::is_directory(dir, ec))
      throw std::runtime_error(dir.string() + ": exists and is not a folder");
    if (!existed && !fs::create_directories(dir, ec))
      throw std::runtime_error(dir.string() + ": cannot create folder (" + ec.message() + ")");
    // Each file is written beside its final name and renamed; on failure, what this run
    // wrote is removed again so no partial set is left behind.
    std::vector<fs::path> written;
    try {
      for (int c : cards) {
        const fs::path target = dir / (std::to_string(c) + ".png");
        fs::path tmp = target;
        tmp += ".tmp";
        if (pattern_only) {
          print::write_grey_png(tmp, print::pattern_image(*deck, c, px));
        } else {
          auto it = names.find(c);
          print::write_card_png(tmp, *deck, c, it == names.end() ? "" : it->second, dpi);
        }
        fs::rename(tmp, target);
        written.push_back(target);
      }
    } catch (...) {
      for (const auto& p : written) fs::remove(p, ec);
      for (int c : cards) fs::remove(dir / (std::to_string(c) + ".png.tmp"), ec);
      if (!existed) fs::remove(dir, ec);
      throw;
    }
    std::printf("wrote %zu %s PNG files to %s\n", written.size(),
                pattern_only ? "pattern" : "card", dir.c_str());
    return 0;
  }

  if (a.has("pattern-only") || a.has("px-per-cell") || a.has("dpi"))
    throw UsageError("--pattern-only, --px-per-cell and --dpi are for --format png");
  print::CardSheet sheet;
  sheet.deck = deck;
  sheet.cards = cards;
  const std::string paper = a.get_or("paper", "letter");
  if (paper == "letter") sheet.paper = print::Paper::Letter;
  else if (paper == "a4") sheet.paper = print::Paper::A4;
  else throw UsageError("--paper " + paper + ": expected letter or a4");
  sheet.per_page = a.get_int("per-page", 1, 1, 4);
  if (sheet.per_page == 3) throw UsageError("--per-page 3: expected 1, 2 or 4");
  sheet.names = names;
  const fs::path out = a.get_or("out", "cards-" + deck_name + ".pdf");
  print::write_cards_pdf(out, sheet);
  const size_t pages = (cards.size() + static_cast<size_t>(sheet.per_page) - 1) / static_cast<size_t>(sheet.per_page);
  std::printf("wrote %zu %s cards on %zu pages to %s\n", cards.size(), deck_name.c_str(), pages,
              out.c_str());
  return 0;
}

const bool registered = register_command({"cards", "print answer cards (PDF) or their patterns (PNG)", kUsage, run_cards});

}  // namespace
}  // namespace cardpoll::app
