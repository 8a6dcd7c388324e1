// Names DejaVu Sans cannot draw (Japanese, Korean, Chinese) fall back through fontconfig to an
// installed font that can, on cards (Cairo) and in windows (SDL_ttf); Greek, Cyrillic, Hebrew
// and Arabic are drawn too. "Not tofu" is checked two ways: the font each run is drawn with
// really has every glyph (SDL_ttf's TTF_GlyphIsProvided32), and pixels: missing glyphs are
// all the same box, so two different characters drawn alike would mean tofu.
#include <gtest/gtest.h>

#include <cairo.h>

#include <SDL_ttf.h>

#include <cstring>
#include <filesystem>

#include "core/deck.h"
#include "display/fonts.h"
#include "display/print/card_pdf.h"
#include "display/print/font_fallback.h"
#include "tests/support/cardpoll_cli.h"

namespace cardpoll {
namespace {

using print::split_by_font;

struct Ttf {
  Ttf() {
    if (!TTF_WasInit()) TTF_Init();
  }
};

std::vector<uint32_t> code_points(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Every character of `name` is in the font its run is drawn with.
void expect_every_glyph_provided(const std::string& name) {
  Ttf ttf;
  for (bool bold : {false, true})
    for (const auto& run : split_by_font(name, bold)) {
      TTF_Font* f = TTF_OpenFontIndex(run.face.file.c_str(), 24, run.face.index);
      ASSERT_NE(f, nullptr) << run.face.file;
      for (uint32_t cp : code_points(run.text))
        EXPECT_TRUE(cp == ' ' || TTF_GlyphIsProvided32(f, cp))
            << name << ": U+" << std::hex << cp << " not in " << run.face.file;
      TTF_CloseFont(f);
    }
}

TEST(FontFallback, JapaneseAndKoreanNamesGetAFontThatHasTheirGlyphs) {
  for (const char* name : {"山田 花子", "김민준", "王小明", "Ana 山田"}) {
    const auto runs = split_by_font(name, false);
    ASSERT_FALSE(runs.empty());
    bool fell_back = false;
    for (const auto& r : runs) fell_back = fell_back || !(r.face == print::primary_face(false));
    EXPECT_TRUE(fell_back) << name << ": DejaVu Sans has no CJK, a fallback font must draw it";
    expect_every_glyph_provided(name);
  }
  // Latin stays in DejaVu Sans, in one run with the space.
  const auto mixed = split_by_font("Ana 山田", false);
  ASSERT_EQ(mixed.size(), 2u);
  EXPECT_EQ(mixed[0].text, "Ana ");
  EXPECT_EQ(mixed[0].face, print::primary_face(false));
  EXPECT_EQ(mixed[1].text, "山田");
}

TEST(FontFallback, GreekCyrillicHebrewArabicAreDrawn) {
  for (const char* name : {"Αλέξανδρος", "Дмитрий", "נועה כהן", "نور حسن", "Zoë Ñúñez"}) expect_every_glyph_provided(name);
}

// SDL_ttf pixels: two different CJK characters drawn in DejaVu Sans are the same missing-glyph
// box; drawn in the fallback font they differ.
TEST(FontFallback, WindowsDrawRealGlyphsNotBoxes) {
  Ttf ttf;
  auto pixels = [](TTF_Font* f, const char* text) {
    SDL_Surface* s = TTF_RenderUTF8_Shaded(f, text, SDL_Color{0, 0, 0, 255}, SDL_Color{255, 255, 255, 255});
    std::string out;
    if (!s) return out;
    for (int y = 0; y < s->h; ++y) out.append(static_cast<const char*>(s->pixels) + y * s->pitch, static_cast<size_t>(s->w));
    SDL_FreeSurface(s);
    return out;
  };
  TTF_Font* dejavu = TTF_OpenFont(print::primary_face(false).file.c_str(), 32);
  ASSERT_NE(dejavu, nullptr);
  EXPECT_EQ(pixels(dejavu, "山"), pixels(dejavu, "田")) << "DejaVu Sans was expected to lack CJK";
  const print::FontFace face = print::face_for(0x5C71, false);  // 山
  TTF_Font* cjk = TTF_OpenFontIndex(face.file.c_str(), 32, face.index);
  ASSERT_NE(cjk, nullptr);
  EXPECT_NE(pixels(cjk, "山"), pixels(cjk, "田"));
  EXPECT_NE(pixels(cjk, "김"), pixels(cjk, "민"));
  TTF_CloseFont(cjk);
  TTF_CloseFont(dejavu);
}

// Cairo pixels: a card's name label with the same characters in another order is the same
// picture when every character is a box, and a different one when they are real glyphs.
TEST(FontFallback, CardsPrintRealGlyphsNotBoxes) {
  test_support::TempDir d;
  const Deck& deck = *find_deck("classroom");
  auto card = [&](const std::string& name) {
    const auto path = d.path / "card.png";
    print::write_card_png(path, deck, 3, name, 150);
    cairo_surface_t* s = cairo_image_surface_create_from_png(path.string().c_str());
    const int h = cairo_image_surface_get_height(s), stride = cairo_image_surface_get_stride(s);
    std::string bytes(reinterpret_cast<const char*>(cairo_image_surface_get_data(s)), static_cast<size_t>(h * stride));
    cairo_surface_destroy(s);
    return bytes;
  };
  EXPECT_NE(card("山田花子"), card("花子山田"));
  EXPECT_NE(card("김민준"), card("준민김"));
  EXPECT_EQ(card("Ana"), card("Ana"));  // the comparison itself is stable
}

TEST(FontFallback, RightToLeftNamesAreDrawnInReadingOrder) {
  EXPECT_EQ(print::visual_order("6  \u05E0\u05D5\u05E2\u05D4 \u05DB\u05D4\u05DF"),
            "6  \u05DF\u05D4\u05DB \u05D4\u05E2\u05D5\u05E0");
  EXPECT_EQ(print::visual_order("Ana García"), "Ana García");
  EXPECT_EQ(print::visual_order("\u05D0\u05D1 x"), "\u05D1\u05D0 x");  // the trailing space stays outside the run
  EXPECT_EQ(print::visual_order(""), "");
}

}  // namespace
}  // namespace cardpoll
