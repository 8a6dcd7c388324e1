#include "display/print/command_cards.h"

#include <cmath>
#include <stdexcept>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <cairo.h>

#include "display/print/pdf_file.h"

namespace cardpoll::print {

QrModules qr_modules(const std::string& payload) {
  ZXing::BitMatrix m;
  try {
    // Width/height 0 and no margin: ZXing returns exactly one bit per module.
    m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::QRCode).setMargin(0).encode(payload, 0, 0);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot make a QR code of '" + payload + "': " + e.what());
  }
  if (m.width() <= 0 || m.width() != m.height())
    throw std::runtime_error("cannot make a QR code of '" + payload + "'");
  QrModules q;
  q.size = m.width();
  q.dark.resize(static_cast<size_t>(q.size) * q.size);
  for (int y = 0; y < q.size; ++y)
    for (int x = 0; x < q.size; ++x) q.dark[static_cast<size_t>(y) * q.size + x] = m.get(x, y) ? 1 : 0;
  return q;
}

QrImage qr_image(const std::string& payload, int px_per_module) {
  const QrModules q = qr_modules(payload);
  const int quiet = 4, ppm = std::max(1, px_per_module);
  QrImage img;
  img.side = (q.size + 2 * quiet) * ppm;
  img.pixels.assign(static_cast<size_t>(img.side) * img.side, 255);
  for (int y = 0; y < img.side; ++y)
    for (int x = 0; x < img.side; ++x) {
      const int mx = x / ppm - quiet, my = y / ppm - quiet;
      if (mx >= 0 && my >= 0 && mx < q.size && my < q.size &&
          q.dark[static_cast<size_t>(my) * q.size + mx])
        img.pixels[static_cast<size_t>(y) * img.side + x] = 0;
    }
  return img;
}

namespace {

void centred_text(cairo_t* cr, const std::string& s, double cx, double y, double size, bool bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_text_extents_t ext;
  cairo_text_extents(cr, s.c_str(), &ext);
  cairo_move_to(cr, cx - ext.width / 2 - ext.x_bearing, y);
  cairo_show_text(cr, s.c_str());
}

}  // namespace

void write_command_cards_pdf(const std::filesystem::path& path, int questions, Paper paper) {
  const PaperSize ps = paper_size(paper);
  const auto cards = lesson::command_card_set(questions);
  // Build every code first: an encoding failure must not leave a half-written PDF behind.
  std::vector<QrModules> codes;
  for (const auto& c : cards) codes.push_back(qr_modules(lesson::command_payload(c)));

  write_pdf_atomically(path, ps.width_pt, ps.height_pt, "cardpoll command cards", [&](cairo_t* cr) {
    // Four per page: a 2 x 2 grid of cells, each a QR code (quiet zone included) and a label.
    const double margin = 36, cell_w = (ps.width_pt - 2 * margin) / 2,
                 cell_h = (ps.height_pt - 2 * margin) / 2;
    const double label_h = 64;
    for (size_t i = 0; i < cards.size(); ++i) {
      const int slot = static_cast<int>(i % 4);
      if (i > 0 && slot == 0) cairo_show_page(cr);
      const double cx = margin + (slot % 2) * cell_w, cy = margin + (slot / 2) * cell_h;
      const QrModules& q = codes[i];
      const double side = std::min(cell_w, cell_h - label_h) - 24;
      const double module = side / (q.size + 8);  // 4 modules of quiet zone each side
      const double qx = cx + (cell_w - side) / 2 + 4 * module, qy = cy + 12 + 4 * module;
      cairo_set_source_rgb(cr, 0, 0, 0);
      for (int y = 0; y < q.size; ++y)
        for (int x = 0; x < q.size; ++x)
          if (q.dark[static_cast<size_t>(y) * q.size + x])
            cairo_rectangle(cr, qx + x * module, qy + y * module, module, module);
      cairo_fill(cr);
      const double text_y = cy + 12 + side + 30;
      centred_text(cr, lesson::command_label(cards[i]), cx + cell_w / 2, text_y, 24, true);
      centred_text(cr, lesson::command_payload(cards[i]), cx + cell_w / 2, text_y + 24, 11, false);
      // Light cut frame around the cell.
      cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
      cairo_set_line_width(cr, 0.5);
      cairo_rectangle(cr, cx + 4, cy + 4, cell_w - 8, cell_h - 8);
      cairo_stroke(cr);
    }
    cairo_show_page(cr);
  });
}

}  // namespace cardpoll::print
