// Settings: where the class database is, the deck of new classes, the camera's lens profile,
// the school server (push now, what is not yet pushed).
// Kept in the settings file (core/store/settings.h) that the commands read too.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "core/deck.h"
#include "core/store/settings.h"
#include "display/app/app_tasks.h"
#include "display/app/file_chooser.h"
#include "display/app/screens.h"
#include "display/app/widgets.h"

namespace cardpoll::ui {

namespace {

// Making the lens profile: `cardpoll calibrate camera`, run by the program, its lines shown.
void calibration(AppState& s, SettingsState& u) {
  if (u.calibration_out.empty()) u.calibration_out = (s.settings_file.parent_path() / "camera.yml").string();
  if (ImGui::TreeNodeEx("Make a lens profile (cardpoll calibrate camera)", u.calibrating ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
    mark(s, "settings.calibration");
    hint("Print the board (cardpoll calibrate print --out board.pdf), hold it in front of the camera and move "
         "it around the picture, tilted, until enough views are kept. Or give a folder or video of such views.");
    ImGui::SetNextItemWidth(300);
    ImGui::InputTextWithHint("##calsource", "camera number, or a folder or video", &u.calibration_source);
    mark(s, "settings.calibration_source");
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-160);
    ImGui::InputText("##calout", &u.calibration_out);
    mark(s, "settings.calibration_out");
    ImGui::BeginDisabled(u.calibrating);
    if (ImGui::Button(u.calibrating ? "Calibrating..." : "Calibrate")) {
      u.calibration_lines.clear();
      u.calibration_exit.reset();
      u.calibrating = true;
    }
    ImGui::EndDisabled();
    mark(s, "settings.calibrate");
    ImGui::SameLine();
    hint("the source: the camera's number, or a folder or video of the board");
    if (!u.calibration_lines.empty()) {
      ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
      ImGui::BeginChild("calibration-lines", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 5), true);
      for (const auto& l : u.calibration_lines) ImGui::TextUnformatted(l.c_str());
      if (u.calibrating) ImGui::SetScrollHereY(1.0f);
      ImGui::EndChild();
      ImGui::PopStyleColor();
      mark(s, "settings.calibration_lines");
    }
    if (u.calibration_exit && *u.calibration_exit != 0)
      ImGui::TextColored(ImVec4(0.70f, 0.10f, 0.10f, 1), "The calibration did not finish (see its lines above).");
    ImGui::TreePop();
  } else {
    mark(s, "settings.calibration");
  }
}

// The school server: `cardpoll sync --to ADDRESS` and `--status --to ADDRESS`, run by the program
// on a thread of their own (app_tasks.h) while this keeps drawing; their lines shown as they come.
void school_server(AppState& s, SettingsState& u) {
  poll_school_job(s);
  ImGui::TextUnformatted("School server (cardpoll sync: every class and answer on the school's PostgreSQL)");
  mark(s, "settings.school");
  ImGui::SetNextItemWidth(-260);
  ImGui::InputTextWithHint("##schooladdress", "postgresql://USER@HOST/DATABASE or service=NAME", &u.school_address);
  mark(s, "settings.school_address");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##schoolpassword", "password", &u.school_password, ImGuiInputTextFlags_Password);
  mark(s, "settings.school_password");
  hint("Never put the password in the address: type it here (it is not saved), or keep it in ~/.pgpass or the "
       "service file. The address is saved with the settings.");
  const bool running = !u.school_running.empty();
  ImGui::BeginDisabled(running);
  if (ImGui::Button(u.school_running == "push" ? "Pushing..." : "Push now", ImVec2(200, 0))) start_school_job(s, true);
  mark(s, "settings.school_push");
  ImGui::SameLine();
  if (ImGui::Button(u.school_running == "status" ? "Asking..." : "What is not yet pushed?", ImVec2(260, 0)))
    start_school_job(s, false);
  mark(s, "settings.school_status");
  ImGui::EndDisabled();
  ImGui::SameLine();
  hint("safe to run again at any time: nothing is sent twice, a push cut off goes on where it stopped");
  if (!u.school_lines.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));
    ImGui::BeginChild("school-lines", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 4), true);
    for (const auto& l : u.school_lines) ImGui::TextWrapped("%s", l.c_str());
    if (running) ImGui::SetScrollHereY(1.0f);
    ImGui::EndChild();
    ImGui::PopStyleColor();
    mark(s, "settings.school_lines");
  }
  if (!u.school_error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.70f, 0.10f, 0.10f, 1), "%s", u.school_error.c_str());
    ImGui::PopTextWrapPos();
    mark(s, "settings.school_error");
  }
}

}  // namespace

void draw_settings(AppState& s) {
  SettingsState& u = s.settings_ui;
  const auto decks = all_decks();
  if (!u.loaded) {
    u.loaded = true;
    u.database = s.db.path().string();
    u.camera_profile = s.settings.camera_profile;
    u.school_address = s.settings.school_server;
    u.deck = 0;
    for (size_t i = 0; i < decks.size(); ++i)
      if (decks[i].name == s.settings.deck) u.deck = static_cast<int>(i);
  }
  if (auto f = take_chosen(s, "database")) u.database = f->string();
  if (auto f = take_chosen(s, "profile")) u.camera_profile = f->string();
  heading("Settings");
  ImGui::TextUnformatted("Class database (every class, question and answer)");
  ImGui::SetNextItemWidth(-260);
  ImGui::InputText("##database", &u.database);
  mark(s, "settings.database");
  ImGui::SameLine();
  if (ImGui::Button("Choose...##db"))
    open_chooser(s, "database", "The class database (an existing file, or a new name)", true, {".db"}, "cardpoll.db");
  hint(("In use now: " + s.db.path().string()).c_str());
  ImGui::Spacing();
  ImGui::TextUnformatted("Deck of new classes");
  ImGui::SetNextItemWidth(420);
  if (ImGui::BeginCombo("##deck", std::string(decks[static_cast<size_t>(u.deck)].name).c_str())) {
    for (size_t i = 0; i < decks.size(); ++i) {
      const std::string label = std::string(decks[i].name) + "  (" + std::to_string(decks[i].cards()) + " cards)";
      if (ImGui::Selectable(label.c_str(), u.deck == static_cast<int>(i))) u.deck = static_cast<int>(i);
      mark(s, "settings.deck." + std::string(decks[i].name));
    }
    ImGui::EndCombo();
  }
  mark(s, "settings.deck");
  hint(std::string(decks[static_cast<size_t>(u.deck)].description).c_str());
  ImGui::Spacing();
  ImGui::TextUnformatted("Camera lens profile (from cardpoll calibrate camera)");
  ImGui::SetNextItemWidth(-260);
  ImGui::InputTextWithHint("##profile", "none: corners are read as the camera sees them", &u.camera_profile);
  mark(s, "settings.profile");
  ImGui::SameLine();
  if (ImGui::Button("Choose...##profile"))
    open_chooser(s, "profile", "A camera lens profile", false, {".yml", ".yaml"});
  ImGui::SameLine();
  if (ImGui::Button("None")) u.camera_profile.clear();
  ImGui::Spacing();
  if (ImGui::Button("Save the settings", ImVec2(300, 0))) {
    u.report = {};
    Settings next = s.settings;
    next.deck = std::string(decks[static_cast<size_t>(u.deck)].name);
    next.camera_profile = u.camera_profile;
    next.school_server = u.school_address;
    std::error_code ec;
    std::string address_refused;
    if (!u.school_address.empty() && s.school.check_address) {
      try {
        s.school.check_address(u.school_address);
      } catch (const std::exception& e) {
        address_refused = e.what();
      }
    }
    if (!u.camera_profile.empty() && !std::filesystem::is_regular_file(u.camera_profile, ec)) {
      u.report.error = u.camera_profile + ": no such file";
    } else if (!address_refused.empty()) {
      u.report.error = address_refused;
    } else {
      if (u.database != s.db.path().string()) u.report = switch_database(s, u.database);
      if (u.report.ok()) {
        next.database = s.db.path().string();
        try {
          save_settings(s.settings_file, next);
          s.settings = next;
          u.report.summary = (u.report.summary.empty() ? "" : u.report.summary + "; ") + "settings saved in " +
                             s.settings_file.string();
        } catch (const std::exception& e) {
          u.report.error = e.what();
        }
      }
    }
  }
  mark(s, "settings.save");
  draw_report(s, u.report, "settings.report");
  ImGui::Spacing();
  calibration(s, u);
  ImGui::Spacing();
  school_server(s, u);  // last: the calibration's lines open above it
}

}  // namespace cardpoll::ui
