#include "display/app/widgets.h"

#include <imgui.h>
#include <imgui_stdlib.h>

namespace cardpoll::ui {

AppFonts& app_fonts() {
  static AppFonts f;
  return f;
}

void mark(AppState& s, const std::string& id) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  s.widgets[id] = {a.x, a.y, b.x - a.x, b.y - a.y};
}

void heading(const char* text) {
  if (app_fonts().heading) ImGui::PushFont(app_fonts().heading);
  ImGui::TextUnformatted(text);
  if (app_fonts().heading) ImGui::PopFont();
  ImGui::Spacing();
}

void draw_report(AppState& s, const TaskReport& r, const std::string& id) {
  if (r.error.empty() && r.summary.empty() && r.warnings.empty()) return;
  // A long list of warnings (a Moodle bank with many skipped questions) scrolls in a box of
  // its own instead of pushing the screen's content away.
  const size_t lines = r.warnings.size() + !r.error.empty() + !r.summary.empty();
  const bool boxed = lines > 4;
  if (boxed) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
    ImGui::BeginChild(id.c_str(), ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 4.5f), true);
  }
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(0);
  if (!r.error.empty()) ImGui::TextColored(ImVec4(0.70f, 0.10f, 0.10f, 1), "%s", r.error.c_str());
  for (const auto& w : r.warnings) ImGui::TextColored(ImVec4(0.62f, 0.40f, 0.0f, 1), "%s", w.c_str());
  if (!r.summary.empty()) ImGui::TextColored(ImVec4(0.10f, 0.45f, 0.20f, 1), "%s", r.summary.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  if (boxed) {
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  mark(s, id);
}

bool begin_panel(const char* id, float width, float height) {
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
  return ImGui::BeginChild(id, ImVec2(width, height), true);
}

void end_panel() {
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

void hint(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.38f, 0.40f, 0.44f, 1));
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

RenameOrDelete rename_or_delete(AppState& s, const std::string& id, std::string& new_name, bool& confirming,
                                const char* delete_warning) {
  RenameOrDelete out = RenameOrDelete::Nothing;
  ImGui::PushID(id.c_str());
  ImGui::SetNextItemWidth(240);
  const bool enter = ImGui::InputTextWithHint("##rename", "new name", &new_name, ImGuiInputTextFlags_EnterReturnsTrue);
  mark(s, id + ".rename");
  ImGui::SameLine();
  if (ImGui::Button("Rename") || enter) out = RenameOrDelete::Rename;
  mark(s, id + ".rename_ok");
  ImGui::SameLine();
  if (!confirming) {
    if (ImGui::Button("Delete...")) confirming = true;
    mark(s, id + ".delete");
  } else {
    ImGui::TextColored(ImVec4(0.70f, 0.10f, 0.10f, 1), "%s", delete_warning);
    ImGui::SameLine();
    if (ImGui::Button("Delete it")) {
      out = RenameOrDelete::Delete;
      confirming = false;
    }
    mark(s, id + ".delete_confirm");
    ImGui::SameLine();
    if (ImGui::Button("Keep it")) confirming = false;
  }
  ImGui::PopID();
  return out;
}

}  // namespace cardpoll::ui
