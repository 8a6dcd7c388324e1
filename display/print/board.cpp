#include "display/print/board.h"
#include "display/print/pdf_file.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>

namespace cardpoll::print {

namespace {

using Cairo = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double kMarginMm = 8;     // inside what office printers can reach (about 5 mm)
constexpr double kGapMm = 4;        // white between board, QR code and text: their quiet zone
constexpr double kNoteMinMm = 9;    // a line of text and the 100 mm check line
constexpr double kQrMinMm = 12;     // smaller cannot be read by a webcam at any sensible distance
constexpr double kQrMaxMm = 40;
constexpr double kTextMm = 3;       // text height (about 8.5 pt)

std::string fmt_mm(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", std::round(v * 10) / 10);
  return b;
}

ZXing::BitMatrix qr_modules(const std::string& text) {
  // Width/height 0: one pixel per module, no quiet zone (the layout leaves white around it).
  return ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(0).encode(text, 0, 0);
}

void draw_text(cairo_t* cr, double x, double baseline, const std::string& s, bool bold = false) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, kTextMm);
  cairo_move_to(cr, x, baseline);
  cairo_show_text(cr, s.c_str());
}

double text_width(cairo_t* cr, const std::string& s) {
  cairo_text_extents_t e;
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, kTextMm);
  cairo_text_extents(cr, s.c_str(), &e);
  return e.x_advance;
}

// Draws the page in millimetre units (the caller has scaled the context).
void draw_page(cairo_t* cr, const BoardSheet& s, const BoardLayout& L) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, 0, 0, L.page_w_mm, L.page_h_mm);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  // Squares, the top-left one black; exact multiples of square_mm from the board origin.
  // Neighbouring black squares share only a corner, so no hairline can join them.
  for (int r = 0; r <= s.inner_rows; ++r)
    for (int c = 0; c <= s.inner_cols; ++c)
      if ((r + c) % 2 == 0)
        cairo_rectangle(cr, L.board.x + c * s.square_mm, L.board.y + r * s.square_mm, s.square_mm,
                        s.square_mm);
  cairo_fill(cr);

  if (L.qr.w > 0) {
    const ZXing::BitMatrix m = qr_modules(s.qr_text);
    const double mod = L.qr.w / m.width();
    for (int y = 0; y < m.height(); ++y)
      for (int x = 0; x < m.width(); ++x)
        if (m.get(x, y)) cairo_rectangle(cr, L.qr.x + x * mod, L.qr.y + y * mod, mod, mod);
    cairo_fill(cr);
  }

  // The note: a line of text, then the 100 mm check line with end ticks.
  const double x = L.note.x, y = L.note.y;
  std::string head = "cardpoll calibration board: " + std::to_string(s.inner_cols) + " x " +
                     std::to_string(s.inner_rows) + " inner corners, " + fmt_mm(s.square_mm) +
                     " mm squares. Print at 100% / actual size, never 'fit to page'.";
  if (text_width(cr, head) > L.note.w)
    head = "cardpoll board " + std::to_string(s.inner_cols) + "x" + std::to_string(s.inner_rows) +
           ", " + fmt_mm(s.square_mm) + " mm squares. Print at 100%.";
  draw_text(cr, x, y + kTextMm, head, true);
  const double ly = y + kTextMm + 3.5;
  cairo_set_line_width(cr, 0.3);
  cairo_move_to(cr, x, ly);
  cairo_line_to(cr, x + 100, ly);
  cairo_move_to(cr, x, ly - 1.5);
  cairo_line_to(cr, x, ly + 1.5);
  cairo_move_to(cr, x + 100, ly - 1.5);
  cairo_line_to(cr, x + 100, ly + 1.5);
  cairo_stroke(cr);
  const std::string check = "check: this line must measure 100 mm";
  if (x + 103 + text_width(cr, check) <= L.note.x + L.note.w)
    draw_text(cr, x + 103, ly + kTextMm / 2 - 0.3, check);
  else
    draw_text(cr, x + 20, ly + kTextMm + 1.5, check);
}

}  // namespace

BoardLayout board_layout(const BoardSheet& s) {
  if (s.inner_cols < 2 || s.inner_rows < 2 || s.inner_cols > 40 || s.inner_rows > 40)
    throw std::invalid_argument("board must have 2 to 40 inner corners each way, not " +
                                std::to_string(s.inner_cols) + "x" + std::to_string(s.inner_rows));
  if (!(s.square_mm >= 3 && s.square_mm <= 200))
    throw std::invalid_argument("square size must be 3 to 200 mm, not " + fmt_mm(s.square_mm));
  BoardLayout L;
  const PaperSize ps = paper_size(s.paper);
  const double bw = (s.inner_cols + 1) * s.square_mm, bh = (s.inner_rows + 1) * s.square_mm;
  L.landscape = bw > bh;
  L.page_w_mm = (L.landscape ? ps.height_pt : ps.width_pt) / kPtPerMm;
  L.page_h_mm = (L.landscape ? ps.width_pt : ps.height_pt) / kPtPerMm;
  const double uw = L.page_w_mm - 2 * kMarginMm, uh = L.page_h_mm - 2 * kMarginMm;
  if (bw > uw || bh + kGapMm + kNoteMinMm > uh) {
    const double fit = std::floor(std::min(uw / (s.inner_cols + 1),
                                           (uh - kGapMm - kNoteMinMm) / (s.inner_rows + 1)) * 2) / 2;
    const char* paper = s.paper == Paper::A4 ? "A4" : "letter";
    throw std::invalid_argument(
        "a " + std::to_string(s.inner_cols) + "x" + std::to_string(s.inner_rows) + " board of " +
        fmt_mm(s.square_mm) + " mm squares is " + fmt_mm(bw) + " x " + fmt_mm(bh) +
        " mm and does not fit on " + paper + " paper with its margins and check line: use --square-mm " +
        fmt_mm(fit) + " or smaller, or a board with fewer corners");
  }
  L.board = {kMarginMm, kMarginMm, bw, bh};
  // The QR code goes where it can be biggest: right of the board or below it.
  const double right = std::min({uw - bw - kGapMm, bh, kQrMaxMm});
  const double below_h = uh - bh - kGapMm;
  const double below = std::min(below_h, kQrMaxMm);
  const double note_y = kMarginMm + bh + kGapMm;
  double qr = 0;
  if (!s.qr_text.empty()) {
    if (right >= below && right >= kQrMinMm) {
      qr = right;
      L.qr = {kMarginMm + bw + kGapMm, kMarginMm, qr, qr};
      L.note = {kMarginMm, note_y, uw, below_h};
    } else if (below >= kQrMinMm && uw - below - kGapMm >= 150) {
      qr = below;
      L.qr = {kMarginMm, note_y, qr, qr};
      L.note = {kMarginMm + qr + kGapMm, note_y, uw - qr - kGapMm, below_h};
    } else {
      L.why_no_qr = "no room for a QR code of at least " + fmt_mm(kQrMinMm) +
                    " mm beside or below the board: give --board and --square-mm to "
                    "`cardpoll calibrate camera`, or print smaller squares";
    }
  }
  if (qr == 0) L.note = {kMarginMm, note_y, uw, below_h};
  if (qr > 0) {
    // Whole modules of an exact size so every module prints the same.
    const int n = qr_modules(s.qr_text).width();
    const double mod = std::floor(qr / n * 20) / 20;  // 0.05 mm steps
    L.qr.w = L.qr.h = mod * n;
  }
  return L;
}

void write_board_pdf(const std::filesystem::path& path, const BoardSheet& s) {
  const BoardLayout L = board_layout(s);
  write_pdf_atomically(path, L.page_w_mm * kPtPerMm, L.page_h_mm * kPtPerMm,
                       "cardpoll calibration board", [&](cairo_t* cr) {
    cairo_scale(cr, kPtPerMm, kPtPerMm);  // user units are millimetres from here on
    draw_page(cr, s, L);
    cairo_show_page(cr);
  });
}

GreyPage render_board_page(const BoardSheet& s, double px_per_mm) {
  if (!(px_per_mm > 0 && px_per_mm <= 40)) throw std::invalid_argument("px_per_mm must be in (0, 40]");
  const BoardLayout L = board_layout(s);
  GreyPage page;
  page.width = static_cast<int>(std::lround(L.page_w_mm * px_per_mm));
  page.height = static_cast<int>(std::lround(L.page_h_mm * px_per_mm));
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, page.width, page.height),
                  cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cannot make a " + std::to_string(page.width) + "x" +
                             std::to_string(page.height) + " image");
  {
    Cairo cr(cairo_create(surface.get()), cairo_destroy);
    cairo_scale(cr.get(), px_per_mm, px_per_mm);
    draw_page(cr.get(), s, L);
  }
  cairo_surface_flush(surface.get());
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  page.pixels.resize(static_cast<size_t>(page.width) * static_cast<size_t>(page.height));
  for (int y = 0; y < page.height; ++y)
    for (int x = 0; x < page.width; ++x)  // RGB24 is 0x00RRGGBB; black and white only: take green
      page.pixels[static_cast<size_t>(y) * static_cast<size_t>(page.width) + static_cast<size_t>(x)] =
          data[y * stride + x * 4 + 1];
  return page;
}

}  // namespace cardpoll::print
