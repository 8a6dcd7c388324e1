// The printed calibration chessboard: squares at their exact physical size (1 mm =
// 72/25.4 pt in the PDF), a QR code that says what the board is (so `cardpoll calibrate
// camera` needs no flags), and a 100 mm line to check the printer did not scale the page.
//
//   BoardSheet s{9, 6, 25, Paper::A4, "cardpoll:board/9x6/25mm"};
//   write_board_pdf("board.pdf", s);      // atomic; throws with advice when it cannot fit
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "display/print/card_pdf.h"

namespace cardpoll::print {

struct BoardSheet {
  int inner_cols = 9;      // inner corners along a row (squares = inner + 1)
  int inner_rows = 6;
  double square_mm = 25;
  Paper paper = Paper::Letter;
  std::string qr_text;     // what the QR code holds; empty: no QR code
};

struct MmRect {
  double x = 0, y = 0, w = 0, h = 0;
};

// Where everything goes on the page, in millimetres from the page's top-left corner.
struct BoardLayout {
  double page_w_mm = 0, page_h_mm = 0;  // as printed (landscape when the board is wide)
  bool landscape = false;
  MmRect board;                         // the outer edge of the squares
  MmRect qr;                            // the QR code's modules (w = h = 0: no room, none)
  MmRect note;                          // text lines and the 100 mm check line
  std::string why_no_qr;                // when qr is empty although qr_text was given
};

// Throws std::invalid_argument with advice ("use --square-mm 20 or smaller, or --paper
// ...") when the board does not fit the paper inside the printable margin.
BoardLayout board_layout(const BoardSheet& s);

// Writes the one-page PDF atomically (temporary file then rename); nothing is left at
// `path` on failure. Throws std::runtime_error naming the path.
void write_board_pdf(const std::filesystem::path& path, const BoardSheet& s);

// The same page drawn by the same code into an 8-bit grey image (0 black, 255 white) at
// `px_per_mm`: what a perfect scan of the printout would give. For tests and previews.
struct GreyPage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // row-major
};
GreyPage render_board_page(const BoardSheet& s, double px_per_mm);

}  // namespace cardpoll::print
