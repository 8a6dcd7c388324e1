// The projector: what the whole class sees. Big type, high contrast, nothing that tells
// one student's answer before the reveal (the view has no such field to draw).
#include <algorithm>
#include <string>

#include "display/render.h"

namespace cardpoll::display {

namespace {

void draw_tiles(Painter& p, const Layout& L, const ProjectorView& v) {
  draw_text(p, v.unsaved.empty() ? v.answered : v.answered + "  \u00b7  " + v.unsaved, L.ox + L.px(660),
            L.oy + L.px(228), L.px(36), true, palette::ink, Align::Left, L.px(580));
  const Rect area = tiles_area(L);
  const auto rects = tile_grid(area, static_cast<int>(v.tiles.size()), L.px(8), L.px(64));
  for (size_t i = 0; i < rects.size(); ++i) {
    const Rect& r = rects[i];
    const TileView& t = v.tiles[i];
    const int font = std::max(8, std::min(L.px(26), r.h * 55 / 100));
    const int ty = r.y + (r.h - font * 118 / 100) / 2;
    if (t.answered) {
      fill(p, r, palette::tile_done);
      draw_text(p, t.label, r.x + r.w / 2, ty, font, true, palette::white, Align::Centre,
                r.w - L.px(8));
    } else if (t.pending) {
      // Read but not yet saved: never drawn as answered; a thick outline in the answered
      // colour on the empty tile, and an ellipsis.
      fill(p, r, palette::tile_empty);
      outline(p, r, palette::tile_done, std::max(2, L.px(4)));
      draw_text(p, t.label + "\u2026", r.x + r.w / 2, ty, font, false, palette::muted, Align::Centre,
                r.w - L.px(8));
    } else {
      fill(p, r, palette::tile_empty);
      outline(p, r, palette::line, std::max(1, L.px(2)));
      draw_text(p, t.label, r.x + r.w / 2, ty, font, false, palette::muted, Align::Centre,
                r.w - L.px(8));
    }
  }
}

void draw_choices(Painter& p, const Layout& L, const ProjectorView& v) {
  const int n = static_cast<int>(v.choice_lines.size());
  if (n == 0) return;
  const int slot = 400 / std::max(n, 2);
  for (int i = 0; i < n; ++i)
    draw_wrapped(p, v.choice_lines[static_cast<size_t>(i)],
                 L.rect(40, 235 + static_cast<float>(i * slot), 580, static_cast<float>(slot - 10)),
                 L.px(36), L.px(20), false, palette::ink);
}

void draw_chart(Painter& p, const Layout& L, const ProjectorView& v) {
  const Colour note = v.result_note.rfind("Survey", 0) == 0 ? palette::ink : palette::right;
  draw_text(p, v.result_note, L.ox + L.px(40), L.oy + L.px(228), L.px(34), true, note);
  draw_text(p, v.answered, L.ox + L.px(1240), L.oy + L.px(228), L.px(34), true, palette::ink,
            Align::Right);
  std::vector<double> fractions;
  for (const auto& b : v.bars) fractions.push_back(b.fraction);
  const Rect chart = chart_area(L);
  const auto rects = bar_rects(chart, fractions, L.px(40));
  fill(p, {chart.x, chart.y + chart.h, chart.w, std::max(1, L.px(3))}, palette::ink);  // baseline
  for (size_t i = 0; i < rects.size(); ++i) {
    const BarView& b = v.bars[i];
    const Rect& r = rects[i];
    fill(p, r, b.correct ? palette::right : palette::bar);
    const int cx = r.x + r.w / 2;
    draw_text(p, b.count_label, cx, r.y - L.px(42), L.px(32), true, palette::ink, Align::Centre,
              r.w);
    const int below = chart.y + chart.h + L.px(10);
    std::string letter(1, b.letter);
    if (b.correct) letter = "\u2713 " + letter;  // more than colour: a check mark and a label
    draw_text(p, letter, cx, below, L.px(40), true, b.correct ? palette::right : palette::ink,
              Align::Centre, r.w);
    draw_text(p, b.choice, cx, below + L.px(50), L.px(24), false, palette::ink, Align::Centre,
              r.w);
    if (b.correct)
      draw_text(p, "Right answer", cx, below + L.px(80), L.px(22), true, palette::right,
                Align::Centre, r.w);
  }
}

void draw_groups(Painter& p, const Layout& L, const ProjectorView& v) {
  fill(p, L.rect(20, 70, 1240, 615), palette::paper);
  draw_text(p, v.groups_title, L.ox + L.px(40), L.oy + L.px(78), L.px(36), true, palette::ink);
  const int n = static_cast<int>(v.groups.size());
  if (n == 0) {
    draw_text(p, "No groups saved for this class yet", L.ox + L.px(40), L.oy + L.px(140),
              L.px(28), false, palette::muted);
    return;
  }
  const auto cards = tile_grid(L.rect(40, 135, 1200, 540), n, L.px(16), L.px(540));
  for (int i = 0; i < n; ++i) {
    const GroupCard& g = v.groups[static_cast<size_t>(i)];
    const Rect r = cards[static_cast<size_t>(i)];
    fill(p, r, palette::tile_empty);
    outline(p, r, palette::line, std::max(1, L.px(2)));
    const int pad = L.px(12);
    int y = r.y + pad;
    const int name_px = std::min(L.px(28), std::max(10, r.h / 6));
    draw_text(p, g.name, r.x + pad, y, name_px, true, palette::tile_done, Align::Left, r.w - 2 * pad);
    y += name_px * 13 / 10;
    if (!g.note.empty()) {
      draw_text(p, g.note, r.x + pad, y, name_px * 7 / 10, false, palette::muted, Align::Left,
                r.w - 2 * pad);
      y += name_px;
    }
    const int m = static_cast<int>(g.members.size());
    const int room = r.y + r.h - pad - y;
    const int member_px = std::clamp(m ? room / m * 8 / 10 : L.px(22), 8, L.px(24));
    for (const auto& name : g.members) {
      if (y + member_px > r.y + r.h) break;
      draw_text(p, name, r.x + pad, y, member_px, false, palette::ink, Align::Left, r.w - 2 * pad);
      y += member_px * 12 / 10;
    }
  }
}

void draw_help(Painter& p, const Layout& L, const std::vector<std::string>& lines) {
  const Rect box = L.rect(340, 130, 600, 460);
  fill(p, box, palette::dark);
  draw_text(p, "Keys", box.x + L.px(30), box.y + L.px(20), L.px(30), true, palette::white);
  draw_columns(p, lines, box.x + L.px(30), box.y + L.px(70), L.px(130), L.px(40), L.px(24),
               palette::white);
}

}  // namespace

Rect chart_area(const Layout& L) { return L.rect(80, 330, 1120, 210); }
Rect tiles_area(const Layout& L) { return L.rect(660, 285, 580, 385); }

void draw_projector(Painter& p, const ProjectorView& v, int w, int h) {
  const Layout L = layout_for(w, h);
  SDL_SetRenderDrawBlendMode(p.renderer, SDL_BLENDMODE_NONE);
  fill(p, {0, 0, w, h}, palette::paper);
  draw_text(p, v.header, L.ox + L.px(40), L.oy + L.px(18), L.px(28), true, palette::muted);
  if (!v.timer.empty()) {
    const Rect box = L.rect(1080, 10, 180, 56);
    const Colour c = v.timer_urgent ? palette::wrong : palette::ink;
    outline(p, box, c, std::max(1, L.px(3)));
    draw_text(p, v.timer, box.x + box.w / 2, box.y + L.px(4), L.px(40), true, c, Align::Centre);
  }
  if (!v.question.empty())
    draw_wrapped(p, v.question, L.rect(40, 70, 1200, 145), L.px(46), L.px(24), true, palette::ink);
  if (v.show_groups) {
    draw_groups(p, L, v);
  } else if (v.show_chart) {
    draw_chart(p, L, v);
  } else {
    draw_choices(p, L, v);
    draw_tiles(p, L, v);
  }
  draw_text(p, v.status, L.ox + L.px(40), L.oy + L.px(690), L.px(20), false, palette::muted);
  if (v.show_help) draw_help(p, L, v.help_lines);
}

}  // namespace cardpoll::display
