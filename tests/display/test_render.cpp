// Offscreen renders of the live windows, checked by pixels of key regions: bar heights are
// proportional to counts, hidden names are really not drawn, the answer is never drawn on
// the projector before the reveal, the camera preview and card outlines are on the teacher's.
#include <gtest/gtest.h>

#include "display/layout.h"
#include "display/offscreen.h"
#include "display/render.h"
#include "display/view_model.h"

using namespace cardpoll;
using namespace cardpoll::display;

namespace {

LiveState roster_state(int n) {
  LiveState s;
  s.class_name = "Period 3";
  s.position = 1;
  s.count = 3;
  s.question_text = "Which fraction is equal to 2/4?";
  s.choices = {"1/2", "3/4", "2/8", "4/2"};
  s.correct = Answer::B;
  s.scanning = true;
  for (int i = 0; i < n; ++i) {
    RosterEntry e;
    e.card = i + 1;
    e.name = "Student" + std::to_string(i + 1);
    s.roster.push_back(e);
  }
  return s;
}

bool same_region(const Image& a, const Image& b, const Rect& r) {
  for (int y = r.y; y < r.y + r.h; ++y)
    for (int x = r.x; x < r.x + r.w; ++x)
      if (a.at(x, y) != b.at(x, y)) return false;
  return true;
}

uint32_t rgb(Colour c) { return 0xff000000u | (c.r << 16) | (c.g << 8) | c.b; }

// Height of the run of `colour` pixels going up from the chart baseline at column x.
int run_height(const Image& img, int x, int bottom, uint32_t colour) {
  int h = 0;
  for (int y = bottom - 1; y >= 0 && img.at(x, y) == colour; --y) ++h;
  return h;
}

}  // namespace

TEST(Render, BarHeightsAreProportionalToCounts) {
  LiveState s = roster_state(12);
  // A 6, B 3 (right), C 2, D 1
  const Answer a[] = {Answer::A, Answer::A, Answer::A, Answer::A, Answer::A, Answer::A,
                      Answer::B, Answer::B, Answer::B, Answer::C, Answer::C, Answer::D};
  for (int i = 0; i < 12; ++i) s.roster[static_cast<size_t>(i)].answer = a[i];
  s.revealed = true;
  const ProjectorView v = projector_view(s);
  for (auto [w, h] : {std::pair{1280, 720}, std::pair{1920, 1080}}) {
    auto canvas = make_offscreen(w, h);
    const Image img = render_projector(*canvas, v);
    const Layout L = layout_for(w, h);
    const Rect chart = chart_area(L);
    std::vector<double> f;
    for (const auto& b : v.bars) f.push_back(b.fraction);
    const auto bars = bar_rects(chart, f, L.px(40));
    const int counts[] = {6, 3, 2, 1};
    const int tallest = run_height(img, bars[0].x + bars[0].w / 2, chart.y + chart.h, rgb(palette::bar));
    EXPECT_NEAR(tallest, chart.h, 2);
    for (int i = 1; i < 4; ++i) {
      const Colour c = i == 1 ? palette::right : palette::bar;  // B is the right answer
      const int hgt = run_height(img, bars[static_cast<size_t>(i)].x + bars[static_cast<size_t>(i)].w / 2,
                                 chart.y + chart.h, rgb(c));
      EXPECT_NEAR(hgt, tallest * counts[i] / 6.0, 2.5) << "bar " << i << " at " << w << "x" << h;
    }
  }
}

TEST(Render, HiddenNamesAreReallyNotDrawn) {
  LiveState s = roster_state(10);
  s.roster[3].answer = Answer::C;
  s.names_hidden = true;
  auto canvas = make_offscreen(1280, 720);
  const Image hidden1 = render_projector(*canvas, projector_view(s));
  LiveState other = s;
  for (auto& e : other.roster) e.name = "Wolfgang";  // different names, same cards
  const Image hidden2 = render_projector(*canvas, projector_view(other));
  const Rect whole{0, 0, 1280, 720};
  EXPECT_TRUE(same_region(hidden1, hidden2, whole)) << "names leaked into a hidden-names render";
  other.names_hidden = s.names_hidden = false;
  const Image shown1 = render_projector(*canvas, projector_view(s));
  const Image shown2 = render_projector(*canvas, projector_view(other));
  EXPECT_FALSE(same_region(shown1, shown2, tiles_area(layout_for(1280, 720))))
      << "the test would not notice names: they should differ when shown";
}

TEST(Render, NoAnswerReachesTheProjectorBeforeReveal) {
  LiveState s = roster_state(8);
  for (auto& e : s.roster) e.answer = Answer::A;
  auto canvas = make_offscreen(1280, 720);
  const Image all_a = render_projector(*canvas, projector_view(s));
  for (auto& e : s.roster) e.answer = Answer::D;
  const Image all_d = render_projector(*canvas, projector_view(s));
  EXPECT_TRUE(same_region(all_a, all_d, {0, 0, 1280, 720}));
  s.revealed = true;
  const Image revealed = render_projector(*canvas, projector_view(s));
  EXPECT_FALSE(same_region(all_d, revealed, {0, 0, 1280, 720}));
}

TEST(Render, AnsweredTilesFill) {
  LiveState s = roster_state(4);
  s.roster[0].answer = Answer::B;
  const Image img = render_projector(projector_view(s), 1280, 720);
  const auto tiles = tile_grid(tiles_area(layout_for(1280, 720)), 4, 8, 64);
  // A corner pixel of each tile, away from the label.
  EXPECT_EQ(img.at(tiles[0].x + 3, tiles[0].y + 3), rgb(palette::tile_done));
  EXPECT_EQ(img.at(tiles[1].x + 3, tiles[1].y + 3), rgb(palette::tile_empty));
}

TEST(Render, TeacherShowsPreviewAndOutlines) {
  LiveState s = roster_state(3);
  PreviewImage p;
  p.width = 320;
  p.height = 240;
  p.grey.assign(320 * 240, 77);
  s.seen = {{2, Answer::C, {100, 100, 140, 100, 140, 140, 100, 140}, "Student2"}};
  const TeacherView v = teacher_view(s);
  const Image img = render_teacher(v, p, 1280, 720);
  const Layout L = layout_for(1280, 720);
  const Rect img_rect = fit_image(L.rect(10, 10, 840, 630), 320, 240);
  const float k = img_rect.w / 320.0f;
  EXPECT_EQ(img.at(img_rect.x + 5, img_rect.y + 5), 0xff4d4d4du) << "preview grey 77 drawn";
  // The outline's left edge, halfway down the card.
  const int ox = img_rect.x + static_cast<int>(100 * k), oy = img_rect.y + static_cast<int>(120 * k);
  EXPECT_EQ(img.at(ox, oy), rgb(palette::tile_done));
  // Inside the card: still the preview.
  EXPECT_EQ(img.at(ox + static_cast<int>(20 * k), oy), 0xff4d4d4du);
  const Image none = render_teacher(v, PreviewImage{}, 1280, 720);
  EXPECT_NE(none.at(img_rect.x + 5, img_rect.y + 5), 0xff4d4d4du);
}

TEST(Render, ScalesTo4KAndWritesPng) {
  LiveState s = roster_state(60);
  const Image img = render_projector(projector_view(s), 3840, 2160);
  EXPECT_EQ(img.width, 3840);
  const auto png = std::filesystem::temp_directory_path() / "cardpoll_render_test.png";
  write_png(img, png);
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
  std::filesystem::remove(png);
  EXPECT_THROW(write_png(img, "/nonexistent-dir/x.png"), std::runtime_error);
  EXPECT_THROW(make_offscreen(10, 10), std::runtime_error);
}
