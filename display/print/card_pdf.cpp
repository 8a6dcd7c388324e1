#include "display/print/card_pdf.h"
#include "display/print/font_fallback.h"
#include "display/print/pdf_file.h"

#include <cairo.h>

#include <cmath>
#include <memory>
#include <numbers>
#include <stdexcept>

namespace cardpoll::print {

namespace {

constexpr double kMargin = 36;        // 0.5 in: what every office printer can reach
constexpr double kTextBand = 16;      // points outside the quiet zone for letters and names
constexpr double kLetterSize = 9;     // ~3 mm capitals: readable in hand, not across a room
constexpr double kLabelSize = 7.5;
constexpr double kCutMark = 12, kCutGap = 4;

using Cairo = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

// The card square for a slot of size w x h: as large as fits with room for cut marks.
CardBox box_in_slot(const Deck& deck, double x, double y, double w, double h) {
  const double side = std::min(w, h) - 2 * (kCutMark + kCutGap);
  // side = grid*cell + 2*cell (quiet zone) + 2*text band
  const double cell = (side - 2 * kTextBand) / (deck.grid + 2);
  CardBox b;
  b.side = side;
  b.x = x + (w - side) / 2;
  b.y = y + (h - side) / 2;
  b.pattern_side = cell * deck.grid;
  b.pattern_x = b.x + kTextBand + cell;
  b.pattern_y = b.y + kTextBand + cell;
  return b;
}

void draw_pattern(cairo_t* cr, const Deck& deck, int card, double x, double y, double side) {
  const auto cells = card_cells(deck, card, Answer::A);
  const double cell = side / deck.grid;
  cairo_set_source_rgb(cr, 0, 0, 0);
  // Runs of black cells in a row are drawn as one rectangle: no hairline seams between
  // neighbouring cells in PDF viewers or on printers.
  for (int r = 0; r < deck.grid; ++r) {
    for (int c = 0; c < deck.grid;) {
      if (!cells[static_cast<size_t>(r * deck.grid + c)]) {
        ++c;
        continue;
      }
      int end = c;
      while (end < deck.grid && cells[static_cast<size_t>(r * deck.grid + end)]) ++end;
      cairo_rectangle(cr, x + c * cell, y + r * cell, (end - c) * cell, cell);
      c = end;
    }
  }
  cairo_fill(cr);
}

// Text centred at (cx, cy), turned by `angle` (radians, clockwise on the page).
void centred_text(cairo_t* cr, const std::string& s, double cx, double cy, double angle) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  cairo_save(cr);
  cairo_translate(cr, cx, cy);
  cairo_rotate(cr, angle);
  cairo_move_to(cr, -e.width / 2 - e.x_bearing, -e.height / 2 - e.y_bearing);
  cairo_show_text(cr, s.c_str());
  cairo_restore(cr);
}

// Text drawn run by run, each in a font that has its characters (print/font_fallback.h):
// DejaVu Sans where it can, another installed font for CJK and the rest. `bold` is the weight.
double text_advance(cairo_t* cr, const std::string& s, bool bold) {
  double x = 0;
  for (const TextRun& run : split_by_font(s, bold)) {
    cairo_select_font_face(cr, run.face.family.c_str(), CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_text_extents_t e;
    cairo_text_extents(cr, run.text.c_str(), &e);
    x += e.x_advance;
  }
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  return x;
}

// Shows `s` at the current point, run by run; leaves DejaVu Sans selected.
void show_text(cairo_t* cr, const std::string& s, bool bold) {
  for (const TextRun& run : split_by_font(visual_order(s), bold)) {
    cairo_select_font_face(cr, run.face.family.c_str(), CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_show_text(cr, run.text.c_str());  // advances the current point
  }
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
}

// Shortens `s` with an ellipsis until it fits `max_width` in the current font size.
std::string fit_text(cairo_t* cr, std::string s, double max_width) {
  if (text_advance(cr, s, false) <= max_width) return s;
  while (!s.empty()) {
    // Drop a whole UTF-8 character.
    do s.pop_back();
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80);
    if (!s.empty()) s.pop_back();
    const std::string t = s + "\u2026";
    if (text_advance(cr, t, false) <= max_width) return t;
  }
  return s;
}

void draw_card(cairo_t* cr, const Deck& deck, int card, const std::string& name, const CardBox& b) {
  // White card (the page is white already; this matters for PNG previews).
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, b.x, b.y, b.side, b.side);
  cairo_fill(cr);
  draw_pattern(cr, deck, card, b.pattern_x, b.pattern_y, b.pattern_side);

  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, kLetterSize);
  cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
  const double cx = b.x + b.side / 2, cy = b.y + b.side / 2;
  const double edge = b.side / 2 - kTextBand / 2;
  const double pi = std::numbers::pi;
  // A top, B right, C bottom, D left: each reads upright when its edge is turned to the top.
  centred_text(cr, "A", cx, cy - edge, 0);
  centred_text(cr, "B", cx + edge, cy, pi / 2);
  centred_text(cr, "C", cx, cy + edge, pi);
  centred_text(cr, "D", cx - edge, cy, -pi / 2);

  // Card number and name in the top-left corner band, clear of the letter A.
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, kLabelSize);
  std::string label = std::to_string(card);
  if (!name.empty()) label += "  " + name;
  label = fit_text(cr, label, b.side / 2 - 3 * kLetterSize);
  cairo_text_extents_t e;
  cairo_text_extents(cr, label.c_str(), &e);
  cairo_move_to(cr, b.x + 2, b.y + kTextBand / 2 - e.height / 2 - e.y_bearing);
  show_text(cr, label, false);
}

void draw_cut_marks(cairo_t* cr, const CardBox& b) {
  cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
  cairo_set_line_width(cr, 0.5);
  const double xs[2] = {b.x, b.x + b.side}, ys[2] = {b.y, b.y + b.side};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j) {
      const double x = xs[i], y = ys[j];
      const double dx = i ? 1 : -1, dy = j ? 1 : -1;
      // Marks stand off the card so that a slightly off cut does not leave a line on it.
      cairo_move_to(cr, x + dx * kCutGap, y);
      cairo_line_to(cr, x + dx * (kCutGap + kCutMark), y);
      cairo_move_to(cr, x, y + dy * kCutGap);
      cairo_line_to(cr, x, y + dy * (kCutGap + kCutMark));
    }
  cairo_stroke(cr);
}

}  // namespace

PaperSize paper_size(Paper p) {
  return p == Paper::A4 ? PaperSize{595.2756, 841.8898} : PaperSize{612, 792};
}

std::vector<CardBox> card_boxes(const CardSheet& sheet) {
  if (!sheet.deck) throw std::invalid_argument("no deck");
  const PaperSize ps = paper_size(sheet.paper);
  const double w = ps.width_pt - 2 * kMargin, h = ps.height_pt - 2 * kMargin;
  std::vector<CardBox> out;
  switch (sheet.per_page) {
    case 1:
      out.push_back(box_in_slot(*sheet.deck, kMargin, kMargin, w, h));
      break;
    case 2:
      for (int i = 0; i < 2; ++i) out.push_back(box_in_slot(*sheet.deck, kMargin, kMargin + i * h / 2, w, h / 2));
      break;
    case 4:
      for (int i = 0; i < 4; ++i)
        out.push_back(box_in_slot(*sheet.deck, kMargin + (i % 2) * w / 2, kMargin + (i / 2) * h / 2, w / 2, h / 2));
      break;
    default:
      throw std::invalid_argument("cards per page must be 1, 2 or 4, not " + std::to_string(sheet.per_page));
  }
  return out;
}

void write_cards_pdf(const std::filesystem::path& path, const CardSheet& sheet) {
  if (!sheet.deck) throw std::invalid_argument("no deck");
  if (sheet.cards.empty()) throw std::invalid_argument("no cards to print");
  for (int c : sheet.cards) card_cells(*sheet.deck, c);  // throws naming a card outside the deck
  const auto boxes = card_boxes(sheet);
  const PaperSize ps = paper_size(sheet.paper);

  write_pdf_atomically(path, ps.width_pt, ps.height_pt,
                       // Only cardpoll's own name: replacement Plickers-format cards carry
                       // no other product's name, on the card or in the file.
                       "cardpoll answer cards, " + std::to_string(sheet.deck->grid) + "x" +
                           std::to_string(sheet.deck->grid),
                       [&](cairo_t* cr) {
    for (size_t i = 0; i < sheet.cards.size(); ++i) {
      const CardBox& b = boxes[i % boxes.size()];
      const int card = sheet.cards[i];
      auto it = sheet.names.find(card);
      draw_card(cr, *sheet.deck, card, it == sheet.names.end() ? "" : it->second, b);
      draw_cut_marks(cr, b);
      if ((i + 1) % boxes.size() == 0 || i + 1 == sheet.cards.size()) cairo_show_page(cr);
    }
  });
}

void write_card_png(const std::filesystem::path& path, const Deck& deck, int card,
                    const std::string& name, double dpi) {
  card_cells(deck, card);  // throws naming a card outside the deck
  // The same layout as a one-per-page letter sheet, cropped to the card.
  CardSheet sheet{&deck, {card}, Paper::Letter, 1, {}};
  CardBox b = card_boxes(sheet)[0];
  const double scale = dpi / 72.0;
  const int side = static_cast<int>(std::ceil(b.side * scale));
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side), cairo_surface_destroy);
  Cairo cr(cairo_create(surface.get()), cairo_destroy);
  cairo_set_source_rgb(cr.get(), 1, 1, 1);  // the rounded-up last pixel row stays white
  cairo_paint(cr.get());
  cairo_scale(cr.get(), scale, scale);
  cairo_translate(cr.get(), -b.x, -b.y);
  draw_card(cr.get(), deck, card, name, b);
  cairo_surface_flush(surface.get());
  const cairo_status_t st = cairo_surface_write_to_png(surface.get(), path.c_str());
  if (st != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(path.string() + ": cannot write PNG (" + cairo_status_to_string(st) + ")");
}

}  // namespace cardpoll::print
