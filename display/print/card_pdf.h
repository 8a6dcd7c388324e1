// Printable answer cards: vector PDF (and PNG previews) through Cairo.
//
// Each card: the pattern as large as the layout allows, a white quiet zone one cell wide
// (the scanner needs it), the letters A-D small at the edges (each upright when its edge is
// on top, small so that neighbours cannot read an answer across the room), the card number
// and the student's name small in the top-left corner, and cut marks.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/deck.h"

namespace cardpoll::print {

enum class Paper { Letter, A4 };

struct PaperSize {
  double width_pt, height_pt;
};
PaperSize paper_size(Paper p);

struct CardSheet {
  const Deck* deck = nullptr;
  std::vector<int> cards;              // card numbers, in print order
  Paper paper = Paper::Letter;
  int per_page = 1;                    // 1, 2 or 4
  std::map<int, std::string> names;    // card number -> student name (optional)
};

// Where one card sits on the page, in points: the square card (pattern + quiet zone +
// text band) and the pattern inside it.
struct CardBox {
  double x, y, side;                   // the card square
  double pattern_x, pattern_y, pattern_side;
};
std::vector<CardBox> card_boxes(const CardSheet& sheet);  // one per slot of a page

// Writes the PDF atomically (temporary file, then rename): on any failure no file is left
// at `path` and std::runtime_error names the path.
void write_cards_pdf(const std::filesystem::path& path, const CardSheet& sheet);

// One card, as printed (letters, number, name, no cut marks), as a PNG at `dpi`.
void write_card_png(const std::filesystem::path& path, const Deck& deck, int card,
                    const std::string& name, double dpi);

}  // namespace cardpoll::print
