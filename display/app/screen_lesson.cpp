// Lesson: choose the class, the question set and the camera (or the demo recording), then
// teach. The program runs the lesson with `cardpoll live`'s own code (this window waits
// hidden) and comes back on the Results of that session.
#include <imgui.h>

#include <filesystem>

#include "core/store/storage.h"
#include "display/app/app_window.h"
#include "display/app/screens.h"
#include "display/app/widgets.h"

namespace cardpoll::ui {

namespace {

void reload(AppState& s) {
  LessonState& l = s.lesson;
  if (l.loaded == s.data_version) return;
  l.loaded = s.data_version;
  l.classes = list_classes(s.db);
  l.sets = list_question_sets(s.db);
  if (l.klass >= static_cast<int>(l.classes.size())) l.klass = 0;
  if (l.set > static_cast<int>(l.sets.size())) l.set = 0;  // sets.size(): quick questions
}

template <typename T, typename Name>
void combo(AppState& s, const char* id, const std::vector<T>& items, int& index, Name name) {
  ImGui::SetNextItemWidth(420);
  const std::string current = items.empty() ? "(none yet)" : name(items[static_cast<size_t>(index)]);
  if (ImGui::BeginCombo(id, current.c_str())) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (ImGui::Selectable((name(items[i]) + "##" + std::to_string(i)).c_str(), index == static_cast<int>(i)))
        index = static_cast<int>(i);
      mark(s, std::string("lesson.") + (id + 2) + "." + std::to_string(i));
      if (i + 1 == items.size()) mark(s, std::string("lesson.") + (id + 2) + ".last");
    }
    ImGui::EndCombo();
  }
  mark(s, std::string("lesson.") + (id + 2));
}

void camera_check_view(AppState& s, const CameraCheckView& c) {
  if (!c.error.empty()) {
    ImGui::TextColored(ImVec4(0.70f, 0.10f, 0.10f, 1), "%s", c.error.c_str());
    return;
  }
  if (c.rgba.empty()) {
    hint(("Opening " + c.source + "...").c_str());
    return;
  }
  const float w = 400, h = w * static_cast<float>(c.height) / static_cast<float>(c.width);
  ImGui::Image(reinterpret_cast<ImTextureID>(camera_check_texture(c)), ImVec2(w, h));
  mark(s, "lesson.preview");
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(0);
  ImGui::Text("%s, %d frames, %zu cards in this one", c.source.c_str(), c.frames, c.cards.size());
  // The verdict first: whether the camera reads the smallest (farthest) card well enough.
  if (!c.verdict.empty()) ImGui::TextColored(ImVec4(0.10f, 0.30f, 0.55f, 1), "%s", c.verdict.c_str());
  for (const auto& line : c.advice) ImGui::TextColored(ImVec4(0.62f, 0.40f, 0.0f, 1), "%s", line.c_str());
  if (c.cards.empty()) hint("No card read in this frame.");
  std::string widths;
  for (const auto& line : c.cards) widths += (widths.empty() ? "" : ";  ") + line;
  hint(widths.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  mark(s, "lesson.check_report");
}

}  // namespace

void draw_lesson(AppState& s) {
  reload(s);
  LessonState& l = s.lesson;
  heading("Start a lesson");
  ImGui::TextUnformatted("Class");
  combo(s, "##class", l.classes, l.klass, [&](const ClassInfo& k) {
    return k.name + "  (" + std::to_string(list_students(s.db, k.id).size()) + " students)";
  });
  ImGui::TextUnformatted("Question set");
  {
    // The last entry: a lesson of quick questions, asked aloud (`cardpoll live --class NAME`
    // with no --set): K on the keyboard asks one, choices A-D.
    std::vector<std::string> names;
    for (const auto& q : l.sets) names.push_back(q.set.name + "  (" + std::to_string(q.questions) + " questions)");
    names.push_back("quick questions (no set: asked aloud, A-D)");
    combo(s, "##set", names, l.set, [](const std::string& n) { return n; });
  }
  ImGui::Spacing();
  ImGui::TextUnformatted("Camera");
  int source = l.demo_recording ? 1 : 0;
  ImGui::RadioButton("a camera, number", &source, 0);
  mark(s, "lesson.camera");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  if (ImGui::InputInt("##cameraindex", &l.camera)) source = 0;
  if (l.camera < 0) l.camera = 0;
  {
    // Which cameras the system offers (V4L2 devices), so the number is not a guess.
    std::string found;
    std::error_code ec;
    for (int i = 0; i < 10; ++i)
      if (std::filesystem::exists("/dev/video" + std::to_string(i), ec)) found += (found.empty() ? "" : ", ") + std::to_string(i);
    ImGui::SameLine();
    hint(found.empty() ? "no camera found on this computer" : ("cameras here: " + found).c_str());
  }
  ImGui::RadioButton("the demo recording (no camera needed)", &source, 1);
  mark(s, "lesson.demo_recording");
  l.demo_recording = source == 1;
  // The camera check: the camera's picture, the cards it reads and how wide they are, and the
  // range check's verdict (`cardpoll calibrate range`), before the lesson starts.
  if (ImGui::Button(l.checking ? "Stop the camera check" : "Check the camera")) {
    l.checking = !l.checking;
    if (l.checking) l.check = {};
  }
  mark(s, "lesson.check");
  ImGui::SameLine();
  hint("Hold a card where the farthest student sits: the check says whether the camera reads it there.");
  if (l.checking || l.check.version > 0) camera_check_view(s, l.check);
  if (s.settings.camera_profile.empty()) hint("No lens profile (Settings): card corners are read as the camera sees them.");
  else hint(("Lens profile: " + s.settings.camera_profile).c_str());
  ImGui::Spacing();
  const bool ready = !l.classes.empty();
  ImGui::BeginDisabled(!ready);
  if (ImGui::Button("Start the lesson", ImVec2(300, 56))) {
    LessonRequest req;
    req.class_name = l.classes[static_cast<size_t>(l.klass)].name;
    req.set_name = l.set < static_cast<int>(l.sets.size()) ? l.sets[static_cast<size_t>(l.set)].set.name : "";
    req.demo_recording = l.demo_recording;
    req.camera = l.camera;
    req.camera_profile = s.settings.camera_profile;
    l.report = {};
    s.lesson_request = req;
  }
  ImGui::EndDisabled();
  mark(s, "lesson.start");
  ImGui::SameLine();
  if (ImGui::Button("Try the demo lesson", ImVec2(300, 56))) {
    LessonRequest req;  // the bundled demo class and quiz, imported on first use
    req.demo_recording = true;
    req.camera_profile = s.settings.camera_profile;
    l.report = {};
    s.lesson_request = req;
  }
  mark(s, "lesson.demo");
  if (!ready) hint("A lesson needs a class (Classes); questions come from a set (Questions) or are asked aloud. The "
                   "demo lesson brings its own.");
  draw_report(s, l.report, "lesson.report");
  ImGui::Spacing();
  ImGui::Separator();
  hint("Two windows open: the projector's (the question, who has answered, then the bar chart) and yours (the "
       "camera with every card it reads). Keys there: Space scanning on/off, Enter reveal, N/P next/previous "
       "question, H hide names, G groups, T timer, F full screen, Q end the lesson. Every answer is stored as "
       "it comes; the results open here when the lesson ends.");
}

}  // namespace cardpoll::ui
