// Font fallback through fontconfig: text the chosen font (DejaVu Sans) cannot draw - Chinese,
// Japanese, Korean, and any other script it lacks - is drawn with an installed font that can,
// for cards (Cairo) and windows (SDL_ttf) alike. DejaVu Sans itself covers Latin, Greek,
// Cyrillic, Hebrew and Arabic; the project installs fonts-wqy-microhei for CJK (setup.sh).
//
// Text is split into runs, each with the font file that has all its characters: the primary
// font wherever it has the glyph, else the first font fontconfig ranks for the character that
// really has it. A character no installed font has stays with the primary font (drawn as its
// missing-glyph box, as before). Results are cached per character; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cardpoll::print {

struct FontFace {
  std::string family;  // for Cairo's cairo_select_font_face
  std::string file;    // for SDL_ttf's TTF_OpenFontIndex
  int index = 0;       // face index inside a .ttc collection
  bool operator==(const FontFace&) const = default;
};

struct TextRun {
  std::string text;  // UTF-8
  FontFace face;
};

// The primary font (DejaVu Sans, regular or bold). Throws std::runtime_error naming the
// package to install when fontconfig has no DejaVu Sans.
const FontFace& primary_face(bool bold);

// `text` as runs of one font each, in order; empty text gives no runs.
std::vector<TextRun> split_by_font(std::string_view text, bool bold);

// The font that draws `codepoint` (the primary one when it has it).
FontFace face_for(uint32_t codepoint, bool bold);

// `text` in the order its characters are drawn left to right: every stretch of right-to-left
// letters (Hebrew, Arabic, with the spaces between them) reversed, so "6 נועה כהן" prints the
// name as it is read. Neither Cairo's text API nor SDL_ttf reorders. A simplified bidi for
// names: Arabic letters keep their isolated forms (no joining).
std::string visual_order(std::string_view text);

}  // namespace cardpoll::print
