// Questions: the sets, a new set, an import (every format the CLI takes, by file chooser or a
// file dropped on the window), and the questions of the chosen set, written and edited in
// place (text, choices, right answer or survey, skills) and moved up or down.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "core/store/corrections.h"
#include "core/csv.h"
#include "core/store/question_edit.h"
#include "core/store/storage.h"
#include "display/app/app_tasks.h"
#include "display/app/file_chooser.h"
#include "display/app/screens.h"
#include "display/app/widgets.h"

namespace cardpoll::ui {

namespace {

void reload(AppState& s) {
  QuestionsState& q = s.questions;
  if (q.loaded == s.data_version) return;
  q.loaded = s.data_version;
  q.sets = list_question_sets(s.db);
  if (q.selected && !find_question_set(s.db, q.selected)) q.selected = 0;
  if (!q.selected && !q.sets.empty()) q.selected = q.sets.front().set.id;
  q.set = q.selected ? *find_question_set(s.db, q.selected) : QuestionSet{};
  q.edits.clear();
  for (const auto& x : q.set.questions) q.edits[x.id] = edit_of(x, times_asked(s.db, x.id));
}

void set_list(AppState& s) {
  QuestionsState& q = s.questions;
  begin_panel("set-list", 300, 0);
  heading("Question sets");
  if (q.sets.empty()) hint("No question sets yet. Make one below, or import or drop a question file.");
  for (const auto& x : q.sets) {
    const std::string label = x.set.name + "  (" + std::to_string(x.questions) + ")##set" + std::to_string(x.set.id);
    if (ImGui::Selectable(label.c_str(), q.selected == x.set.id)) {
      q.selected = x.set.id;
      q.loaded = -1;
      q.report = {};
    }
    mark(s, "questions.item." + x.set.name);
  }
  ImGui::Separator();
  ImGui::TextUnformatted("New set");
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputTextWithHint("##newset", "name, e.g. Fractions 1", &q.new_set,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  mark(s, "questions.new_name");
  if (ImGui::Button("Create set", ImVec2(-1, 0)) || enter) {
    try {
      const QuestionSet made = create_question_set(s.db, q.new_set);
      q.report = {};
      q.report.summary = "created question set \"" + made.name + "\"";
      q.selected = made.id;
      q.new_set.clear();
      ++s.data_version;
    } catch (const std::exception& e) {
      q.report = {};
      q.report.error = e.what();
    }
  }
  mark(s, "questions.create");
  ImGui::Separator();
  ImGui::TextUnformatted("Import a file");
  const auto formats = question_import_formats();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##format", question_format_label(formats[static_cast<size_t>(q.format)]).c_str())) {
    for (size_t i = 0; i < formats.size(); ++i)
      if (ImGui::Selectable(question_format_label(formats[i]).c_str(), q.format == static_cast<int>(i)))
        q.format = static_cast<int>(i);
    ImGui::EndCombo();
  }
  if (q.selected) {
    if (ImGui::Button("Add questions from a file...", ImVec2(-1, 0)))
      open_chooser(s, "questions", "Add questions to " + q.set.name, false, question_extensions());
    mark(s, "questions.import");
  }
  if (ImGui::Button("New set from a file...", ImVec2(-1, 0)))
    open_chooser(s, "questions-new", "A new question set from a file", false, question_extensions());
  mark(s, "questions.import_new");
  hint("A new set is named as typed above, else after the file.");
  end_panel();
}

// The choices and the right answer of one question being edited.
// Widgets "<id>.right.A" (the right-answer button) and "<id>.choice.A" (its text), ...
bool choice_editor(AppState& s, QuestionEdit& e, bool key_locked, const std::string& id) {
  bool changed = false;
  for (size_t i = 0; i < e.choices.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    const char letter[2] = {static_cast<char>('A' + i), 0};
    ImGui::BeginDisabled(key_locked);
    changed |= ImGui::RadioButton(letter, &e.correct, static_cast<int>(i));
    ImGui::EndDisabled();
    mark(s, id + ".right." + letter);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    changed |= ImGui::InputText("##choice", &e.choices[i]);
    mark(s, id + ".choice." + letter);
    ImGui::PopID();
  }
  ImGui::BeginDisabled(key_locked);
  changed |= ImGui::RadioButton("no right answer (a survey)", &e.correct, -1);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (e.choices.size() < 4 && ImGui::SmallButton("+ choice")) {
    e.choices.emplace_back();
    changed = true;
  }
  if (e.choices.size() > 2) {
    ImGui::SameLine();
    if (ImGui::SmallButton("- last choice")) {
      if (e.correct == static_cast<int>(e.choices.size()) - 1) e.correct = -1;
      e.choices.pop_back();
      changed = true;
    }
  }
  return changed;
}

void question_card(AppState& s, const Question& x, bool first, bool last) {
  QuestionsState& q = s.questions;
  QuestionEdit& e = q.edits[x.id];
  // One rule with `cardpoll questions edit` (edit_question): an asked question's words may
  // change (the old ones are kept in the history of its lessons); its right answer is a
  // re-key on the Results screen, which scores every lesson that asked it again.
  const bool asked = e.asked > 0;
  ImGui::PushID(static_cast<int>(x.id));
  ImGui::BeginGroup();
  ImGui::Text("%d.", x.position);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextMultiline("##text", &e.text, ImVec2(-1, ImGui::GetTextLineHeight() * 2.6f));
  mark(s, "questions.text." + std::to_string(x.position));
  ImGui::Indent(30);
  choice_editor(s, e, asked, "questions." + std::to_string(x.position));
  ImGui::TextUnformatted("Skills");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##skills", "e.g. fractions.equivalent", &e.skills);
  if (asked)
    hint(("Asked " + std::to_string(e.asked) + (e.asked == 1 ? " time" : " times") +
          ": a change is kept in the history of its lessons; its right answer is changed by a re-key on Results.")
             .c_str());
  {
    if (ImGui::Button("Save")) {
      q.report = {};
      try {
        update_question(s.db, question_of_edit(e, x), default_corrector());
        q.report.summary = "question " + std::to_string(x.position) + " saved";
        ++s.data_version;
      } catch (const std::exception& ex) {
        q.report.error = ex.what();
      }
    }
    mark(s, "questions.save." + std::to_string(x.position));
    ImGui::SameLine();
  }
  ImGui::BeginDisabled(first);
  if (ImGui::Button("Move up")) {
    move_question(s.db, x.id, x.position - 1);
    ++s.data_version;
  }
  ImGui::EndDisabled();
  mark(s, "questions.up." + std::to_string(x.position));
  ImGui::SameLine();
  ImGui::BeginDisabled(last);
  if (ImGui::Button("Move down")) {
    move_question(s.db, x.id, x.position + 1);
    ++s.data_version;
  }
  ImGui::EndDisabled();
  mark(s, "questions.down." + std::to_string(x.position));
  ImGui::Unindent(30);
  ImGui::EndGroup();
  ImGui::PopID();
  ImGui::Separator();
}

void new_question(AppState& s) {
  QuestionsState& q = s.questions;
  heading("Write a new question");
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextMultiline("##draft", &q.draft.text, ImVec2(-1, ImGui::GetTextLineHeight() * 2.6f));
  mark(s, "questions.draft_text");
  ImGui::PushID("draft");
  choice_editor(s, q.draft, false, "questions.draft");
  ImGui::PopID();
  ImGui::TextUnformatted("Skills");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##draftskills", "e.g. fractions.equivalent", &q.draft.skills);
  if (ImGui::Button("Add the question")) {
    q.report = {};
    try {
      Question x = question_of_edit(q.draft, Question{});
      check_question(x);
      x = add_question(s.db, q.selected, x);
      q.report.summary = "question " + std::to_string(x.position) + " added to \"" + q.set.name + "\"";
      q.draft = QuestionEdit{"", "", {"", "", "", ""}, 0, 0};
      ++s.data_version;
    } catch (const std::exception& ex) {
      q.report.error = ex.what();
    }
  }
  mark(s, "questions.add");
}

void set_detail(AppState& s) {
  QuestionsState& q = s.questions;
  ImGui::BeginChild("set-detail", ImVec2(0, 0), false);
  if (!q.selected) {
    heading("Make your first question set");
    hint("Type a name on the left and press Create set, then write questions here; or import a file from "
         "Moodle (GIFT, Aiken) or a spreadsheet (CSV), or drop it on this window.");
    draw_report(s, q.report, "questions.report");
    ImGui::EndChild();
    return;
  }
  heading((q.set.name + "  -  " + std::to_string(q.set.questions.size()) + " questions").c_str());
  mark(s, "questions.title");
  // As `cardpoll questions rename|delete` (a set a lesson used is not deleted: the words say which).
  switch (rename_or_delete(s, "questions", q.rename, q.confirm_delete,
                           "Delete the set? (a copy of the database is made first)")) {
    case RenameOrDelete::Rename:
      q.report = rename_question_set_task(s.db, q.selected, trim_blanks(q.rename), default_corrector());
      if (q.report.ok()) q.rename.clear();
      ++s.data_version;
      break;
    case RenameOrDelete::Delete:
      q.report = delete_question_set_task(s.db, q.selected, default_corrector());
      if (q.report.ok()) q.selected = 0;
      ++s.data_version;
      break;
    case RenameOrDelete::Nothing: break;
  }
  if (ImGui::Button("Print command cards...")) {
    std::string name = "commands-" + q.set.name + ".pdf";
    for (char& ch : name)
      if (ch == ' ' || ch == '/') ch = '-';
    open_chooser(s, "commands", "The QR command cards for this set's lessons (a PDF)", true, {".pdf"}, name);
  }
  mark(s, "questions.commands");
  ImGui::SameLine();
  ImGui::Checkbox("A4 paper##commands", &q.a4);
  ImGui::SameLine();
  hint("Show them to the camera during a lesson: next, reveal, question 3, ...");
  if (q.pending_drop) {
    const std::string stem = q.new_set.empty() ? q.pending_drop->stem().string() : q.new_set;
    ImGui::TextColored(ImVec4(0.20f, 0.42f, 0.62f, 1), "Import %s:", q.pending_drop->filename().c_str());
    ImGui::SameLine();
    if (ImGui::Button(("add to " + q.set.name).c_str())) q.report = import_questions_for_ui(s, *q.pending_drop, true);
    mark(s, "questions.drop_into");
    ImGui::SameLine();
    if (q.pending_drop && ImGui::Button(("as the new set \"" + stem + "\"").c_str()))
      q.report = import_questions_for_ui(s, *q.pending_drop, false);
    mark(s, "questions.drop_new");
    ImGui::SameLine();
    if (q.pending_drop && ImGui::Button("Cancel##drop")) q.pending_drop.reset();
    if (!q.pending_drop) {
      reload(s);
      ImGui::EndChild();
      return;
    }
  }
  draw_report(s, q.report, "questions.report");
  begin_panel("questions", 0, 0);
  for (size_t i = 0; i < q.set.questions.size(); ++i)
    question_card(s, q.set.questions[i], i == 0, i + 1 == q.set.questions.size());
  new_question(s);
  end_panel();
  mark(s, "questions.panel");
  ImGui::EndChild();
}

}  // namespace

void draw_questions(AppState& s) {
  reload(s);
  if (auto f = take_chosen(s, "questions")) s.questions.report = import_questions_for_ui(s, *f, true);
  if (auto f = take_chosen(s, "commands"))
    s.questions.report = print_command_cards(*f, std::max<int>(1, static_cast<int>(s.questions.set.questions.size())),
                                             s.questions.a4);
  if (auto f = take_chosen(s, "questions-new")) s.questions.report = import_questions_for_ui(s, *f, false);
  reload(s);
  set_list(s);
  ImGui::SameLine();
  set_detail(s);
}

}  // namespace cardpoll::ui
