// Results: past sessions by class and date; for the chosen one, each ask's tally (the bars the
// projector showed) and who answered what, an answer corrected and a question re-keyed (as
// `cardpoll response set` and `ask key`), the item analysis (as `session show`), groups
// suggested in every mode and adjusted by dragging, an export in every format to a file you
// choose, and the session renamed or deleted (with the CLI's backup).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstring>
#include <ctime>

#include "core/store/corrections.h"
#include "core/csv.h"
#include "core/local_time.h"
#include "core/exchange/item_analysis.h"
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

// A letter chosen from a combo: A.. for the question's choices, then "none". `picked` is set
// when the teacher chose one (nullopt inside: none).
bool answer_combo(AppState& s, const std::string& id, const std::string& current, int choices,
                  std::optional<std::optional<Answer>>& picked, float width) {
  ImGui::SetNextItemWidth(width);
  bool chose = false;
  if (ImGui::BeginCombo(id.c_str(), current.c_str())) {
    for (int c = 0; c <= choices; ++c) {
      const std::string label = c < choices ? std::string(1, static_cast<char>('A' + c)) : "none";
      if (ImGui::Selectable(label.c_str(), label == current)) {
        picked = c < choices ? std::optional<Answer>(static_cast<Answer>(c)) : std::nullopt;
        chose = true;
      }
      mark(s, "results.pick." + label);
    }
    ImGui::EndCombo();
  }
  return chose;
}

struct PendingCorrection {
  int ask = 0;
  Id student = 0;  // 0: the ask's right answer
  std::optional<Answer> answer;
};

void who_answered(AppState& s, const SessionData& d, const AskTally& t, std::optional<PendingCorrection>& pending) {
  const std::string id = "who" + std::to_string(t.ask_id);
  if (!ImGui::BeginTable(id.c_str(), 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp))
    return;
  const bool ended = d.session.ended_at.has_value();
  ImGui::TableSetupColumn("Card", ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableSetupColumn("Student");
  ImGui::TableSetupColumn("Answer");
  ImGui::TableSetupColumn(ended ? "Correct it" : "", ImGuiTableColumnFlags_WidthFixed, 130);
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
    ImGui::TableSetColumnIndex(3);
    if (ended) {
      std::optional<std::optional<Answer>> picked;
      const std::string current = resp ? std::string(1, answer_letter(resp->answer)) : "none";
      if (answer_combo(s, "##fix" + std::to_string(t.ask_id) + "_" + std::to_string(st.id), current, t.choices, picked, 110))
        pending = PendingCorrection{t.ask_number, st.id, *picked};
      mark(s, "results.answer." + std::to_string(t.ask_number) + "." + std::to_string(st.card));
    }
  }
  ImGui::EndTable();
}

void answers_tab(AppState& s, const SessionData& d) {
  std::optional<PendingCorrection> pending;
  if (!d.session.ended_at)
    hint("This lesson is still open: its answers are corrected once it has ended (or typed in with cardpoll "
         "session record).");
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
    if (d.session.ended_at) {
      ImGui::TextUnformatted("Right answer");
      ImGui::SameLine();
      std::optional<std::optional<Answer>> picked;
      if (answer_combo(s, "##key" + std::to_string(t.ask_id), t.correct ? std::string(1, answer_letter(*t.correct)) : "none",
                       t.choices, picked, 110))
        pending = PendingCorrection{t.ask_number, 0, *picked};
      mark(s, "results.key." + std::to_string(t.ask_number));
      ImGui::SameLine();
      hint("re-key: every lesson that asked this question is scored again (none: a survey)");
    }
    who_answered(s, d, t, pending);
    mark(s, "results.who." + std::to_string(t.ask_number));
    ImGui::Unindent(10);
    ImGui::Spacing();
  }
  end_panel();
  if (pending) {
    ResultsState& r = s.results;
    r.report = pending->student ? correct_answer_task(s.db, d.session.id, pending->ask, pending->student,
                                                      pending->answer, default_corrector())
                                : correct_key_task(s.db, d.session.id, pending->ask, pending->answer, default_corrector());
    ++s.data_version;
  }
}

void items_tab(AppState& s, const SessionData& d) {
  begin_panel("items", 0, 0);
  const std::string text = item_analysis_text(analyse_items(d));
  if (text.empty()) hint("No question with a right answer was asked: there is nothing to analyse.");
  else ImGui::TextUnformatted(text.c_str());
  end_panel();
  mark(s, "results.items");
}

void group_box(AppState& s, const Group& g, size_t index, std::optional<std::pair<Id, size_t>>& move) {
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float height = line * (static_cast<float>(g.members.size()) + 4.5f);
  ImGui::PushID(static_cast<int>(index));
  begin_panel("group", 250, height);
  ImGui::TextUnformatted(g.name.c_str());
  if (!g.focus.empty()) hint(g.focus.c_str());
  for (const auto& m : g.members) {
    const std::string label = (m.card ? std::to_string(m.card) + "  " : std::string()) + m.name +
                              (m.role.empty() ? "" : "  (" + m.role + ")") + "##m" + std::to_string(m.student);
    ImGui::Selectable(label.c_str(), false);
    if (ImGui::BeginDragDropSource()) {
      ImGui::SetDragDropPayload("cardpoll-student", &m.student, sizeof m.student);
      ImGui::TextUnformatted(m.name.c_str());
      ImGui::EndDragDropSource();
    }
    mark(s, "results.member." + std::to_string(m.card));
  }
  end_panel();
  if (ImGui::BeginDragDropTarget()) {
    if (const ImGuiPayload* p = ImGui::AcceptDragDropPayload("cardpoll-student")) {
      Id student = 0;
      std::memcpy(&student, p->Data, sizeof student);
      move = std::pair{student, index};
    }
    ImGui::EndDragDropTarget();
  }
  mark(s, "results.group." + std::to_string(index + 1));
  ImGui::PopID();
}

// Sizes, the discussion's question, the rules (apart, together): `groups suggest`'s --size,
// --ask and --constraints, with the CLI's defaults.
void group_options(AppState& s, const SessionData& d, bool choice_mode) {
  ResultsState& r = s.results;
  const auto sizes = group_sizes();
  r.group_size = std::clamp(r.group_size, 0, static_cast<int>(sizes.size()) - 1);
  ImGui::TextUnformatted("Groups of");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(270);
  if (ImGui::BeginCombo("##groupsize", sizes[static_cast<size_t>(r.group_size)].label)) {
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (ImGui::Selectable(sizes[i].label, r.group_size == static_cast<int>(i))) r.group_size = static_cast<int>(i);
      mark(s, std::string("results.size.") + sizes[i].label);
    }
    ImGui::EndCombo();
  }
  mark(s, "results.group_size");
  if (r.group_mode == 3) {  // discuss: which question
    ImGui::SameLine();
    ImGui::TextUnformatted("about");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(230);
    r.discuss_ask = std::clamp(r.discuss_ask, 0, static_cast<int>(d.asks.size()));
    const std::string shown = r.discuss_ask == 0 ? "the question nearest 50% right" : "Q" + std::to_string(r.discuss_ask);
    if (ImGui::BeginCombo("##discussask", shown.c_str())) {
      if (ImGui::Selectable("the question nearest 50% right", r.discuss_ask == 0)) r.discuss_ask = 0;
      mark(s, "results.ask.0");
      for (const Ask& a : d.asks) {
        const std::string label = "Q" + std::to_string(a.number);
        if (ImGui::Selectable(label.c_str(), r.discuss_ask == a.number)) r.discuss_ask = a.number;
        mark(s, "results.ask." + std::to_string(a.number));
      }
      ImGui::EndCombo();
    }
    mark(s, "results.discuss_ask");
  }
  if (choice_mode) return;
  // Folded until wanted: most suggestions need no rules, and the groups stay in view.
  const bool open = ImGui::TreeNode("##rules", "Rules: who sits apart or together%s",
                                    r.group_rules.find_first_not_of(" \t\r\n") == std::string::npos ? "" : " (in use)");
  mark(s, "results.rules");
  if (!open) return;
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextMultiline("##grouprules", &r.group_rules, ImVec2(-1, ImGui::GetTextLineHeight() * 3.6f));
  mark(s, "results.group_rules");
  hint("a line each: apart: Ana, Ben   together: Cy, Dee   size: 3-4   anchor: off   (docs/groups.md)");
  ImGui::TreePop();
}

void groups_tab(AppState& s, const SessionData& d) {
  ResultsState& r = s.results;
  const auto modes = group_modes();
  const auto focuses = group_focuses();
  ImGui::TextUnformatted("Group by");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(190);
  if (ImGui::BeginCombo("##groupmode", std::string(group_mode_name(modes[static_cast<size_t>(r.group_mode)])).c_str())) {
    for (size_t i = 0; i < modes.size(); ++i) {
      const std::string name(group_mode_name(modes[i]));
      if (ImGui::Selectable(name.c_str(), r.group_mode == static_cast<int>(i))) r.group_mode = static_cast<int>(i);
      mark(s, "results.pick." + name);
    }
    ImGui::EndCombo();
  }
  mark(s, "results.group_mode");
  const bool choice_mode = r.group_mode >= 2;
  ImGui::SameLine();
  ImGui::BeginDisabled(choice_mode);
  ImGui::SetNextItemWidth(150);
  if (ImGui::BeginCombo("##groupby", group_focus_name(focuses[static_cast<size_t>(r.group_by)]))) {
    for (size_t i = 0; i < focuses.size(); ++i) {
      if (ImGui::Selectable(group_focus_name(focuses[i]), r.group_by == static_cast<int>(i))) r.group_by = static_cast<int>(i);
      mark(s, std::string("results.pick.") + group_focus_name(focuses[i]));
    }
    ImGui::EndCombo();
  }
  ImGui::EndDisabled();
  mark(s, "results.group_by");
  group_options(s, d, choice_mode);
  if (ImGui::Button("Suggest groups")) {
    r.group_seed = 1;
    r.report = suggest_groups_for_ui(s);
  }
  mark(s, "results.suggest");
  const char* help[] = {
      "needs: students who share a skill not mastered yet, the most urgent first; no gap: extension groups.",
      "mixed: each group holds someone who mastered each skill; roles rotate, last partners are avoided.",
      "misconception: students who made the same wrong choice sit together; the choice is the focus.",
      "discuss: peer discussion of the question nearest 50% right: different choices and one right in each."};
  hint(help[r.group_mode]);
  if (!r.grouping || r.grouping_session != d.session.id) return;
  Grouping& g = *r.grouping;
  if (ImGui::Button(r.grouping_saved ? "Saved" : "Save the groups")) r.report = save_groups_for_ui(s);
  mark(s, "results.save_groups");
  ImGui::SameLine();
  if (ImGui::Button("Print...")) {
    std::string name = "groups-" + d.klass.name + ".txt";
    for (char& ch : name)
      if (ch == ' ' || ch == '/') ch = '-';
    open_chooser(s, "groups", "The groups as cardpoll groups prints them (.txt), or their CSV (.csv)", true,
                 {".txt", ".csv"}, name);
  }
  mark(s, "results.print_groups");
  ImGui::SameLine();
  // The same data and rules with the next seed: another arrangement that meets them as well.
  if (ImGui::Button("Try another arrangement")) {
    ++r.group_seed;
    r.report = suggest_groups_for_ui(s);
  }
  mark(s, "results.another");
  if (!r.grouping) return;
  hint("Drag a student onto another group to move them.");
  std::optional<std::pair<Id, size_t>> move;
  const float width = ImGui::GetContentRegionAvail().x;
  float x = 0;
  for (size_t i = 0; i < g.groups.size(); ++i) {
    if (i > 0 && x + 258 < width) ImGui::SameLine();
    else if (i > 0) x = 0;
    group_box(s, g.groups[i], i, move);
    x += 258;
  }
  if (!g.absent.empty()) hint(("absent: " + [&] {
                                std::string a;
                                for (const auto& n : g.absent) a += (a.empty() ? "" : ", ") + n;
                                return a;
                              }()).c_str());
  for (const auto& u : g.unsatisfied)
    ImGui::TextColored(ImVec4(0.62f, 0.40f, 0.0f, 1), "not honoured: %s", u.c_str());
  if (move && move_group_member(g, move->first, move->second)) {
    r.grouping_saved = false;
    r.report = {};
    r.report.summary = "moved; save the groups to keep them";
  }
}

void session_tab(AppState& s, const SessionData& d) {
  ResultsState& r = s.results;
  const std::string name = session_name(s.db, d.session.id);
  ImGui::Text("Session %lld%s", static_cast<long long>(d.session.id), name.empty() ? "" : (", \"" + name + "\"").c_str());
  ImGui::SetNextItemWidth(360);
  ImGui::InputTextWithHint("##rename", "a name, e.g. before the group work", &r.rename);
  mark(s, "results.rename");
  ImGui::SameLine();
  if (ImGui::Button("Rename")) {
    r.report = rename_session_task(s.db, d.session.id, trim_blanks(r.rename), default_corrector());
    if (r.report.ok()) r.rename.clear();
    ++s.data_version;
  }
  mark(s, "results.rename_ok");
  ImGui::Spacing();
  if (!r.confirm_delete) {
    if (ImGui::Button("Delete this session...")) r.confirm_delete = true;
    mark(s, "results.delete");
  } else {
    ImGui::TextColored(ImVec4(0.70f, 0.10f, 0.10f, 1), "Delete every answer of this lesson? A copy of the database is made first.");
    if (ImGui::Button("Delete it")) {
      r.report = delete_session_task(s.db, d.session.id, default_corrector());
      if (r.report.ok()) r.selected = 0;
      r.confirm_delete = false;
      ++s.data_version;
    }
    mark(s, "results.delete_confirm");
    ImGui::SameLine();
    if (ImGui::Button("Keep it")) r.confirm_delete = false;
  }
  ImGui::Spacing();
  heading("Corrections");
  const auto list = list_corrections(s.db, d.session.id);
  if (list.empty()) hint("None: every answer is as the camera read it.");
  for (const auto& c : list)
    ImGui::BulletText("%s: %s %s -> %s (%s)", c.kind.c_str(), c.target.c_str(), c.old_value.c_str(), c.new_value.c_str(),
                      c.who.c_str());
}

void export_row(AppState& s, const SessionData& d) {
  ResultsState& r = s.results;
  const auto choices = export_choices();
  ImGui::SetNextItemWidth(180);
  if (ImGui::BeginCombo("##exportformat", choices[static_cast<size_t>(r.format)].name.c_str())) {
    for (size_t i = 0; i < choices.size(); ++i) {
      if (ImGui::Selectable(choices[i].name.c_str(), r.format == static_cast<int>(i))) r.format = static_cast<int>(i);
      mark(s, "results.pick." + choices[i].name);
    }
    ImGui::EndCombo();
  }
  mark(s, "results.format");
  const ExportChoice& c = choices[static_cast<size_t>(r.format)];
  ImGui::SameLine();
  if (ImGui::Button("Export...")) {
    SessionSummary sum;
    for (const auto& x : r.sessions)
      if (x.session.id == r.selected) sum = x;
    if (!sum.session.id) sum.session = d.session, sum.class_name = d.klass.name;
    open_chooser(s, "export", "Export (" + c.name + ")", true, {c.extension}, export_file_name(sum, c));
  }
  mark(s, "results.export");
  if (c.gradebook) {
    ImGui::RadioButton("a column per lesson", &r.per, 0);
    mark(s, "results.per.session");
    ImGui::SameLine();
    ImGui::RadioButton("a column per question", &r.per, 1);
    mark(s, "results.per.ask");
    ImGui::RadioButton("this lesson", &r.lessons, 0);
    mark(s, "results.lessons.this");
    ImGui::SameLine();
    ImGui::RadioButton("every lesson of the class", &r.lessons, 1);
    mark(s, "results.lessons.every");
    ImGui::RadioButton("the lessons from", &r.lessons, 2);
    mark(s, "results.lessons.days");
    if (r.from_day.empty()) r.from_day = local_date_label(d.session.started_at);
    if (r.to_day.empty()) r.to_day = r.from_day;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130);
    ImGui::InputTextWithHint("##fromday", "YYYY-MM-DD", &r.from_day);
    mark(s, "results.from_day");
    ImGui::SameLine();
    ImGui::TextUnformatted("to");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130);
    ImGui::InputTextWithHint("##today", "YYYY-MM-DD", &r.to_day);
    mark(s, "results.to_day");
  }
  if (c.gradebook)
    hint("Gradebooks match students by the student id or email of the roster; an export that lacks them names "
         "the students.");
  else
    hint("responses: a row per student per question; scoresheet: a row per student; json: everything; html: a report.");
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
  export_row(s, d);
  draw_report(s, r.report, "results.report");
  if (!d.unassigned_cards.empty()) {
    std::string cards;
    for (int c : d.unassigned_cards) cards += (cards.empty() ? "" : ", ") + std::to_string(c);
    ImGui::TextColored(ImVec4(0.62f, 0.40f, 0.0f, 1), "Cards read that no student holds: %s", cards.c_str());
  }
  if (ImGui::BeginTabBar("results-tabs")) {
    const char* names[] = {"Answers", "Item analysis", "Groups", "This session"};
    const char* ids[] = {"answers", "items", "groups", "session"};
    for (int i = 0; i < 4; ++i) {
      // A tab asked for from outside (cardpoll app --screen results/groups) is selected once.
      const bool open = ImGui::BeginTabItem(names[i], nullptr, r.open_tab == i ? ImGuiTabItemFlags_SetSelected : 0);
      mark(s, std::string("results.tab.") + ids[i]);
      if (!open) continue;
      r.tab = i;
      if (i == 0) answers_tab(s, d);
      if (i == 1) items_tab(s, d);
      if (i == 2) groups_tab(s, d);
      if (i == 3) session_tab(s, d);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
    r.open_tab = -1;
  }
  ImGui::EndChild();
}

}  // namespace

void draw_results(AppState& s) {
  reload(s);
  if (auto f = take_chosen(s, "export")) {
    const auto choices = export_choices();
    ResultsState& r = s.results;
    r.report = export_for_ui(s.db, r.selected, choices[static_cast<size_t>(r.format)],
                             r.per == 1 ? AssignmentPer::Ask : AssignmentPer::Session,
                             {static_cast<GradebookLessons::Which>(std::clamp(r.lessons, 0, 2)), r.from_day, r.to_day}, *f);
  }
  if (auto f = take_chosen(s, "groups")) s.results.report = write_groups_for_ui(s, *f);
  session_list(s);
  ImGui::SameLine();
  session_detail(s);
}

}  // namespace cardpoll::ui
