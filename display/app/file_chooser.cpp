#include "display/app/file_chooser.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "display/app/widgets.h"

namespace cardpoll::ui {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool wanted(const fs::path& p, const std::vector<std::string>& extensions) {
  if (extensions.empty()) return true;
  const std::string e = lower(p.extension().string());
  return std::find(extensions.begin(), extensions.end(), e) != extensions.end();
}

fs::path home_folder() {
  const char* h = std::getenv("HOME");
  return h && *h ? fs::path(h) : fs::current_path();
}

}  // namespace

std::vector<FolderEntry> list_folder(const fs::path& folder, const std::vector<std::string>& extensions) {
  std::vector<FolderEntry> out;
  std::error_code ec;
  fs::directory_iterator it(folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw std::runtime_error(folder.string() + ": cannot open the folder (" + ec.message() + ")");
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code e2;
    const bool dir = it->is_directory(e2);
    if (!dir && !wanted(it->path(), extensions)) continue;
    out.push_back({name, dir});
  }
  std::sort(out.begin(), out.end(), [](const FolderEntry& a, const FolderEntry& b) {
    if (a.folder != b.folder) return a.folder;
    return lower(a.name) < lower(b.name);
  });
  return out;
}

fs::path resolve_typed_path(const fs::path& folder, const std::string& typed) {
  if (typed.empty()) return folder;
  if (typed == "~" || typed.rfind("~/", 0) == 0) return home_folder() / typed.substr(typed.size() > 1 ? 2 : 1);
  const fs::path p(typed);
  return p.is_absolute() ? p : folder / p;
}

void open_chooser(AppState& s, const std::string& purpose, const std::string& title, bool saving,
                  std::vector<std::string> extensions, const std::string& suggested_name) {
  FileChooser& c = s.chooser;
  c = FileChooser{};
  c.open = true;
  c.saving = saving;
  c.title = title;
  c.purpose = purpose;
  std::error_code ec;
  c.folder = !s.last_folder.empty() && fs::is_directory(s.last_folder, ec) ? s.last_folder : home_folder();
  c.name = suggested_name;
  c.extensions = std::move(extensions);
}

bool accept_chooser(AppState& s) {
  FileChooser& c = s.chooser;
  c.error.clear();
  fs::path p = resolve_typed_path(c.folder, c.name);
  std::error_code ec;
  if (c.name.empty()) {
    c.error = c.saving ? "type a file name" : "choose a file";
    return false;
  }
  if (fs::is_directory(p, ec)) {  // a folder typed or clicked: go there
    c.folder = fs::weakly_canonical(p, ec);
    c.name.clear();
    return false;
  }
  if (c.saving) {
    if (!fs::is_directory(p.parent_path(), ec)) {
      c.error = p.parent_path().string() + ": no such folder";
      return false;
    }
    if (p.extension().empty() && !c.extensions.empty()) p += c.extensions.front();
  } else if (!fs::is_regular_file(p, ec)) {
    c.error = p.string() + ": no such file";
    return false;
  }
  c.chosen = p;
  c.chosen_purpose = c.purpose;
  c.open = false;
  s.last_folder = p.parent_path();
  return true;
}

std::optional<fs::path> take_chosen(AppState& s, const std::string& purpose) {
  if (!s.chooser.chosen || s.chooser.chosen_purpose != purpose) return std::nullopt;
  auto p = s.chooser.chosen;
  s.chooser.chosen.reset();
  return p;
}

void draw_file_chooser(AppState& s) {
  FileChooser& c = s.chooser;
  if (!c.open) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Size.x * 0.5f, vp->Size.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(std::min(900.f, vp->Size.x - 40), std::min(620.f, vp->Size.y - 40)), ImGuiCond_Always);
  if (!ImGui::IsPopupOpen("chooser")) ImGui::OpenPopup("chooser");
  if (!ImGui::BeginPopupModal("chooser", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove))
    return;
  heading(c.title.c_str());
  if (ImGui::Button("Up")) {
    c.folder = c.folder.has_parent_path() ? c.folder.parent_path() : c.folder;
    c.error.clear();
  }
  mark(s, "chooser.up");
  ImGui::SameLine();
  ImGui::TextUnformatted(c.folder.string().c_str());
  std::vector<FolderEntry> entries;
  std::string list_error;
  try {
    entries = list_folder(c.folder, c.extensions);
  } catch (const std::exception& e) {
    list_error = e.what();
  }
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2 + ImGui::GetTextLineHeightWithSpacing() * 2;
  ImGui::BeginChild("entries", ImVec2(0, -footer), true);
  if (!list_error.empty()) ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.1f, 1), "%s", list_error.c_str());
  if (entries.empty() && list_error.empty()) hint("Nothing to choose in this folder.");
  for (const auto& e : entries) {
    const std::string label = (e.folder ? "[folder]  " : "") + e.name;
    if (ImGui::Selectable(label.c_str(), !e.folder && c.name == e.name, ImGuiSelectableFlags_AllowDoubleClick)) {
      if (e.folder) {
        c.folder /= e.name;
        c.name = c.saving ? c.name : "";
      } else {
        c.name = e.name;
        if (ImGui::IsMouseDoubleClicked(0)) accept_chooser(s);
      }
    }
    mark(s, "chooser.entry." + e.name);
  }
  ImGui::EndChild();
  ImGui::TextUnformatted(c.saving ? "Save as" : "File");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputText("##name", &c.name, ImGuiInputTextFlags_EnterReturnsTrue);
  mark(s, "chooser.name");
  if (!c.error.empty()) ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.1f, 1), "%s", c.error.c_str());
  else hint(c.saving ? "Type a name, or a whole path; the file is replaced only once it is complete."
                     : "Click a file, or type its name or whole path.");
  if (ImGui::Button(c.saving ? "Save" : "Open", ImVec2(140, 0)) || enter) accept_chooser(s);
  mark(s, "chooser.ok");
  ImGui::SameLine();
  if (ImGui::Button("Cancel", ImVec2(140, 0)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) c.open = false;
  mark(s, "chooser.cancel");
  if (!c.open) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace cardpoll::ui
