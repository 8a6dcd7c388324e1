// The frame of every screen: the screen list on the left, the chosen screen on the right,
// and the file chooser above everything when it is open.
#include <SDL_scancode.h>
#include <imgui.h>

#include "display/app/file_chooser.h"
#include "display/app/screens.h"
#include "display/app/widgets.h"

namespace cardpoll::ui {

namespace {

const char* screen_id(Screen s) {
  switch (s) {
    case Screen::Classes: return "nav.classes";
    case Screen::Questions: return "nav.questions";
    case Screen::Lesson: return "nav.lesson";
    case Screen::Results: return "nav.results";
    case Screen::Settings: return "nav.settings";
  }
  return "";
}

// Ctrl+1..5 switch screens from the keyboard (Tab and the arrows move between fields).
void screen_keys(AppState& s) {
  const ImGuiIO& io = ImGui::GetIO();
  if (!io.KeyCtrl) return;
  int n = 0;
  for (Screen sc : kScreens) {
    if (ImGui::IsKeyPressed(SDL_SCANCODE_1 + n, false)) s.screen = sc;
    ++n;
  }
}

void navigation(AppState& s) {
  ImGui::BeginChild("nav", ImVec2(200, 0), false);
  heading("cardpoll");
  ImGui::Spacing();
  int n = 0;
  for (Screen sc : kScreens) {
    ++n;
    const bool on = s.screen == sc;
    if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyle().Colors[ImGuiCol_ButtonActive]);
    if (ImGui::Button(screen_title(sc), ImVec2(-1, 48))) s.screen = sc;
    if (on) ImGui::PopStyleColor();
    mark(s, screen_id(sc));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Ctrl+%d", n);
  }
  ImGui::SetCursorPosY(ImGui::GetWindowHeight() - ImGui::GetTextLineHeightWithSpacing() * 3);
  if (app_fonts().small) ImGui::PushFont(app_fonts().small);
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", s.db.path().filename().string().c_str());
  ImGui::PopTextWrapPos();
  if (app_fonts().small) ImGui::PopFont();
  ImGui::EndChild();
}

}  // namespace

void draw_app(AppState& s) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::Begin("cardpoll", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  screen_keys(s);
  navigation(s);
  ImGui::SameLine();
  ImGui::BeginChild("screen", ImVec2(0, 0), false);
  try {
    switch (s.screen) {
      case Screen::Classes: draw_classes(s); break;
      case Screen::Questions: draw_questions(s); break;
      case Screen::Lesson: draw_lesson(s); break;
      case Screen::Results: draw_results(s); break;
      case Screen::Settings: draw_settings(s); break;
    }
  } catch (const std::exception& e) {
    // A storage failure while reading a list (disk gone, database locked for long): said on
    // the screen, and tried again next frame; the app stays up.
    ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.1f, 1), "%s", e.what());
  }
  ImGui::EndChild();
  draw_file_chooser(s);
  ImGui::End();
}

}  // namespace cardpoll::ui
