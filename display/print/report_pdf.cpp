#include "display/print/report_pdf.h"

#include <algorithm>
#include <sstream>

#include "display/print/pdf_file.h"

namespace cardpoll::print {

namespace {

constexpr double kWidth = 595.28, kHeight = 841.89, kMargin = 48;

struct Page {
  cairo_t* cr;
  double y = kMargin;
  void font(double size, bool bold) {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
  }
  double text_width(const std::string& s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    return e.x_advance;
  }
  void need(double h) {
    if (y + h > kHeight - kMargin) {
      cairo_show_page(cr);
      y = kMargin;
    }
  }
  void line(const std::string& s, double x, double size, bool bold) {
    font(size, bold);
    need(size * 1.4);
    y += size * 1.2;
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s.c_str());
    y += size * 0.3;
  }
  // Shortens `s` (on a UTF-8 boundary) until it fits `w` points.
  std::string fit(std::string s, double w) {
    if (text_width(s) <= w) return s;
    while (!s.empty() && text_width(s + "...") > w) {
      s.pop_back();
      while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
      if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0xC0) s.pop_back();
    }
    return s + "...";
  }
  void paragraph(const std::string& text, double size) {
    font(size, false);
    std::istringstream in(text);
    std::string word, cur;
    while (in >> word) {
      const std::string next = cur.empty() ? word : cur + " " + word;
      if (!cur.empty() && text_width(next) > kWidth - 2 * kMargin) {
        line(cur, kMargin, size, false);
        cur = word;
      } else {
        cur = next;
      }
    }
    if (!cur.empty()) line(cur, kMargin, size, false);
    y += size * 0.4;
  }
};

void draw_table(Page& p, const ReportTable& t) {
  const double size = 8.5, row_h = size * 1.7;
  const size_t cols = t.header.size();
  if (cols == 0) return;
  // Column widths: the widest cell, shared out when the table is wider than the page.
  std::vector<double> w(cols, 0);
  p.font(size, true);
  for (size_t c = 0; c < cols; ++c) w[c] = p.text_width(t.header[c]) + 8;
  p.font(size, false);
  for (const auto& row : t.rows)
    for (size_t c = 0; c < cols && c < row.size(); ++c) w[c] = std::max(w[c], p.text_width(row[c]) + 8);
  const double avail = kWidth - 2 * kMargin;
  double total = 0;
  for (double x : w) total += x;
  if (total > avail) {
    const double fair = avail / static_cast<double>(cols);
    double narrow = 0;
    int wide = 0;
    for (double x : w) (x <= fair ? narrow += x : ++wide);
    for (double& x : w)
      if (x > fair) x = (avail - narrow) / wide;
  }
  auto draw_row = [&](const std::vector<std::string>& row, bool bold) {
    p.need(row_h);
    p.font(size, bold);
    double x = kMargin;
    if (bold) {
      cairo_set_source_rgb(p.cr, 0.93, 0.94, 0.95);
      double tw = 0;
      for (double c : w) tw += c;
      cairo_rectangle(p.cr, kMargin, p.y, tw, row_h);
      cairo_fill(p.cr);
      cairo_set_source_rgb(p.cr, 0, 0, 0);
    }
    for (size_t c = 0; c < cols; ++c) {
      const std::string cell = c < row.size() ? p.fit(row[c], w[c] - 6) : "";
      cairo_move_to(p.cr, x + 3, p.y + size * 1.25);
      cairo_show_text(p.cr, cell.c_str());
      x += w[c];
    }
    p.y += row_h;
    cairo_set_line_width(p.cr, 0.3);
    cairo_move_to(p.cr, kMargin, p.y);
    cairo_line_to(p.cr, x, p.y);
    cairo_stroke(p.cr);
  };
  draw_row(t.header, true);
  for (const auto& row : t.rows) {
    if (p.y + row_h > kHeight - kMargin) {
      p.need(kHeight);  // new page, with the header again
      draw_row(t.header, true);
    }
    draw_row(row, false);
  }
  p.y += 10;
}

}  // namespace

void write_report_pdf(const std::filesystem::path& path, const Report& r) {
  write_pdf_atomically(path, kWidth, kHeight, r.title, [&](cairo_t* cr) {
    Page p{cr};
    cairo_set_source_rgb(cr, 0, 0, 0);
    p.line(r.title, kMargin, 18, true);
    p.paragraph(r.subtitle, 9);
    for (const auto& s : r.sections) {
      p.need(60);
      p.line(s.heading, kMargin, 13, true);
      for (const auto& para : s.paragraphs) p.paragraph(para, 9.5);
      for (const auto& t : s.tables) draw_table(p, t);
    }
    cairo_show_page(cr);
  });
}

}  // namespace cardpoll::print
