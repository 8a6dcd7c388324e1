#include "display/fonts.h"

#include <algorithm>
#include <stdexcept>

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>

namespace cardpoll::display {

namespace {

std::string match_file(FcConfig* config, const char* pattern_text) {
  FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(pattern_text));
  if (!pattern) return {};
  FcConfigSubstitute(config, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(config, pattern, &result);
  std::string file;
  if (match) {
    FcChar8* family = nullptr;
    FcChar8* path = nullptr;
    // fontconfig always answers with *some* font; only accept the family we asked for.
    if (FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch &&
        std::string(reinterpret_cast<const char*>(family)).find("DejaVu Sans") == 0 &&
        FcPatternGetString(match, FC_FILE, 0, &path) == FcResultMatch)
      file = reinterpret_cast<const char*>(path);
    FcPatternDestroy(match);
  }
  FcPatternDestroy(pattern);
  return file;
}

}  // namespace

FontFiles find_dejavu() {
  FcConfig* config = FcInitLoadConfigAndFonts();
  if (!config) throw std::runtime_error("fontconfig: cannot load its configuration");
  FontFiles f;
  f.regular = match_file(config, "DejaVu Sans:style=Book");
  f.bold = match_file(config, "DejaVu Sans:style=Bold");
  FcConfigDestroy(config);
  if (f.regular.empty())
    throw std::runtime_error(
        "fontconfig finds no 'DejaVu Sans' font: install the fonts-dejavu-core package");
  if (f.bold.empty()) f.bold = f.regular;
  return f;
}

FontCache::FontCache() : files(find_dejavu()) {
  if (!TTF_WasInit() && TTF_Init() != 0)
    throw std::runtime_error(std::string("SDL_ttf: cannot start: ") + TTF_GetError());
}

FontCache::~FontCache() {
  for (auto& [key, font] : open) TTF_CloseFont(font);
  for (auto& [key, font] : faces) TTF_CloseFont(font);
}

TTF_Font* FontCache::get(const print::FontFace& face, int px) {
  px = std::clamp(px, 6, 400);
  auto key = std::make_tuple(face.file, face.index, px);
  if (auto it = faces.find(key); it != faces.end()) return it->second;
  TTF_Font* font = TTF_OpenFontIndex(face.file.c_str(), px, face.index);
  if (!font) throw std::runtime_error(face.file + ": cannot open font: " + TTF_GetError());
  faces.emplace(key, font);
  return font;
}

TTF_Font* FontCache::get(int px, bool bold) {
  px = std::clamp(px, 6, 400);
  auto key = std::make_pair(px, bold);
  if (auto it = open.find(key); it != open.end()) return it->second;
  const std::string& path = bold ? files.bold : files.regular;
  TTF_Font* font = TTF_OpenFont(path.c_str(), px);
  if (!font) throw std::runtime_error(path + ": cannot open font: " + TTF_GetError());
  open.emplace(key, font);
  return font;
}

}  // namespace cardpoll::display
