// Results: past sessions by class and date; for the chosen one, each ask's tally (the bars the
// projector showed) and who answered what; an export in every format to a file you choose.
#include <imgui.h>

#include <ctime>

#include "core/store/storage.h"
#include "core/tally.h"
#include "display/app/app_tasks.h"
#include "display/app/file_chooser.h"
#include "display/app/screens.h"
#include "display/app/widgets.h"

namespace cardpoll::ui {

namespace {

std::string local_time(TimeMs t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%a %Y-%m-%d %H:%M", &tm);
  return buf;
}

void reload(AppState& s) {
  ResultsState& r = s.results;
  if (r.loaded == s.data_version) return;
  r.loaded = s.data_version;
  r.classes = list_classes(s.db);
  if (r.class_filter > static_cast<int>(r.classes.size())) r.class_filter = 0;
  std::optional<Id> class_id;
  if (r.class_filter > 0) class_id = r.classes[static_cast<size_t>(r.class_filter - 1)].id;
  r.sessions = list_session_summaries(s.db, class_id);
  r.data.reset();
  if (r.selected) {
    bool found = false;
    for (const auto& x : r.sessions) found |= x.session.id == r.selected;
    if (!found && !find_session(s.db, r.selected)) r.selected = 0;
  }
  if (!r.selected && !r.sessions.empty()) r.selected = r.sessions.front().session.id;
  if (r.selected) r.data = load_session_data(s.db, r.selected);
}

void session_list(AppState& s) {
  ResultsState& r = s.results;
  begin_panel("session-list", 380, 0);
  heading("Sessions");
  ImGui::SetNextItemWidth(-1);
  const std::string current = r.class_filter == 0 ? "every class" : r.classes[static_cast<size_t>(r.class_filter - 1)].name;
  if (ImGui::BeginCombo("##classfilter", current.c_str())) {
    if (ImGui::Selectable("every class", r.class_filter == 0)) r.class_filter = 0, r.loaded = -1;
    for (size_t i = 0; i < r.classes.size(); ++i)
      if (ImGui::Selectable(r.classes[i].name.c_str(), r.class_filter == static_cast<int>(i) + 1))
        r.class_filter = static_cast<int>(i) + 1, r.loaded = -1;
    ImGui::EndCombo();
  }
  mark(s, "results.class_filter");
  if (r.sessions.empty()) hint("No lessons yet. Run one from the Lesson screen.");
  for (const auto& x : r.sessions) {
    const std::string label = local_time(x.session.started_at) + (x.session.ended_at ? "" : "  (open)") + "\n" +
                              x.class_name + " - " + x.set_name + "\n" + std::to_string(x.asks) + " questions, " +
                              std::to_string(x.responses) + " answers##s" + std::to_string(x.session.id);
    if (ImGui::Selectable(label.c_str(), r.selected == x.session.id)) {
      r.selected = x.session.id;
      r.loaded = -1;
      r.report = {};
    }
    mark(s, "results.session." + std::to_string(x.session.id));
    ImGui::Spacing();
  }
  end_panel();
}

void tally_bars(const AskTally& t) {
  for (int c = 0; c < t.choices; ++c) {
    const bool right = t.correct && static_cast<int>(*t.correct) == c;
    const char* text = t.question && c < static_cast<int>(t.question->choices.size()) ? t.question->choices[static_cast<size_t>(c)].c_str() : "";
    ImGui::Text("%c%c", right ? '*' : ' ', 'A' + c);
    ImGui::SameLine(60);
    if (right) ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImVec4(0.20f, 0.55f, 0.30f, 1));
    const std::string overlay = std::to_string(t.counts[static_cast<size_t>(c)]) + "  (" +
                                std::to_string(static_cast<int>(t.percent[static_cast<size_t>(c)] + 0.5)) + "%)";
    ImGui::ProgressBar(static_cast<float>(t.percent[static_cast<size_t>(c)] / 100.0), ImVec2(360, 0), overlay.c_str());
    if (right) ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::TextUnformatted(text);
  }
  std::string line = "answered " + std::to_string(t.answered.size()) + " of " + std::to_string(t.class_size);
  if (t.percent_right) line += ", right " + std::to_string(t.right.value_or(0)) + " (" + std::to_string(static_cast<int>(*t.percent_right + 0.5)) + "% of those who answered)";
  else if (!t.correct) line += ", a survey (no right answer)";
  hint(line.c_str());
}

void who_answered(const SessionData& d, const AskTally& t) {
  const std::string id = "who" + std::to_string(t.ask_id);
  if (!ImGui::BeginTable(id.c_str(), 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupColumn("Card", ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableSetupColumn("Student");
  ImGui::TableSetupColumn("Answer");
  ImGui::TableHeadersRow();
  for (const auto& st : d.students) {
    const Response* resp = response_of(d, t.ask_id, st.id);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    if (st.card) ImGui::Text("%d", st.card);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(st.display_name.c_str());
    ImGui::TableSetColumnIndex(2);
    if (!resp) {
      ImGui::TextDisabled("not answered");
    } else if (!t.correct) {
      ImGui::Text("%c", answer_letter(resp->answer));
    } else if (resp->answer == *t.correct) {
      ImGui::TextColored(ImVec4(0.10f, 0.45f, 0.20f, 1), "%c  right", answer_letter(resp->answer));
    } else {
      ImGui::TextColored(ImVec4(0.70f, 0.25f, 0.10f, 1), "%c  wrong", answer_letter(resp->answer));
    }
  }
  ImGui::EndTable();
}

void session_detail(AppState& s) {
  ResultsState& r = s.results;
  ImGui::BeginChild("session-detail", ImVec2(0, 0), false);
  if (!r.data) {
    heading("Results");
    hint("Each lesson is kept here with every answer; choose one on the left.");
    draw_report(s, r.report, "results.report");
    ImGui::EndChild();
    return;
  }
  const SessionData& d = *r.data;
  heading((d.klass.name + "  -  " + d.set.name).c_str());
  mark(s, "results.title");
  ImGui::Text("%s, %zu students, %zu questions asked", local_time(d.session.started_at).c_str(), d.students.size(),
              d.asks.size());
  const auto formats = export_formats();
  ImGui::SetNextItemWidth(200);
  if (ImGui::BeginCombo("##exportformat", std::string(export_format_name(formats[static_cast<size_t>(r.format)])).c_str())) {
    for (size_t i = 0; i < formats.size(); ++i)
      if (ImGui::Selectable(std::string(export_format_name(formats[i])).c_str(), r.format == static_cast<int>(i)))
        r.format = static_cast<int>(i);
    ImGui::EndCombo();
  }
  mark(s, "results.format");
  ImGui::SameLine();
  if (ImGui::Button("Export...")) {
    SessionSummary sum;
    for (const auto& x : r.sessions)
      if (x.session.id == r.selected) sum = x;
    if (!sum.session.id) sum.session = d.session, sum.class_name = d.klass.name;
    const ExportFormat f = formats[static_cast<size_t>(r.format)];
    const char* ext = f == ExportFormat::Json ? ".json" : f == ExportFormat::Html ? ".html" : ".csv";
    open_chooser(s, "export", "Export this session (" + std::string(export_format_name(f)) + ")", true, {ext},
                 export_file_name(sum, f));
  }
  mark(s, "results.export");
  ImGui::SameLine();
  hint("responses: a row per student per question; scoresheet: a row per student; json: everything; html: a report.");
  draw_report(s, r.report, "results.report");
  if (!d.unassigned_cards.empty()) {
    std::string cards;
    for (int c : d.unassigned_cards) cards += (cards.empty() ? "" : ", ") + std::to_string(c);
    ImGui::TextColored(ImVec4(0.62f, 0.40f, 0.0f, 1), "Cards read that no student holds: %s", cards.c_str());
  }
  begin_panel("asks", 0, 0);
  for (const AskTally& t : tally_asks(d)) {
    const std::string title = "Question " + std::to_string(t.question ? t.question->position : 0) + ": " +
                              (t.question ? t.question->text : std::string("?")) + "##ask" + std::to_string(t.ask_id);
    ImGui::PushTextWrapPos(0);
    const bool open = ImGui::CollapsingHeader(title.c_str(), t.ask_number == 1 ? ImGuiTreeNodeFlags_DefaultOpen : 0);
    ImGui::PopTextWrapPos();
    mark(s, "results.ask." + std::to_string(t.ask_number));
    if (!open) continue;
    ImGui::Indent(10);
    tally_bars(t);
    who_answered(d, t);
    ImGui::Unindent(10);
    ImGui::Spacing();
  }
  end_panel();
  ImGui::EndChild();
}

}  // namespace

void draw_results(AppState& s) {
  reload(s);
  if (auto f = take_chosen(s, "export")) {
    const auto formats = export_formats();
    s.results.report = export_session_task(s.db, s.results.selected, formats[static_cast<size_t>(s.results.format)], *f);
  }
  session_list(s);
  ImGui::SameLine();
  session_detail(s);
}

}  // namespace cardpoll::ui
