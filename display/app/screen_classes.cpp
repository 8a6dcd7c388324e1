// Classes: the list, a new class, the roster of the chosen one (card, name and tags edited in
// place), a roster import (file chooser or a file dropped on the window) and printing cards.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "core/store/corrections.h"
#include "core/csv.h"
#include "core/deck.h"
#include "core/store/storage.h"
#include "display/app/app_tasks.h"
#include "display/app/file_chooser.h"
#include "display/app/screens.h"
#include "display/app/widgets.h"

namespace cardpoll::ui {

namespace {

void reload(AppState& s) {
  ClassesState& c = s.classes;
  if (c.loaded == s.data_version) return;
  c.loaded = s.data_version;
  c.classes = list_classes(s.db);
  if (c.selected && !find_class(s.db, c.selected)) c.selected = 0;
  if (!c.selected && !c.classes.empty()) c.selected = c.classes.front().id;
  c.students = c.selected ? list_students(s.db, c.selected) : std::vector<Student>{};
  c.edits.clear();
  for (const auto& st : c.students) {
    std::string tags;
    for (size_t i = 0; i < st.tags.size(); ++i) tags += (i ? " " : "") + st.tags[i];
    c.edits[st.id] = {st.display_name, tags, st.card};
  }
}

void class_list(AppState& s) {
  ClassesState& c = s.classes;
  begin_panel("class-list", 300, 0);
  heading("Classes");
  if (c.classes.empty()) hint("No classes yet. Make one below, or drop a roster file on this window.");
  for (const auto& k : c.classes) {
    const std::string label = k.name + "##class" + std::to_string(k.id);
    if (ImGui::Selectable(label.c_str(), c.selected == k.id)) {
      c.selected = k.id;
      c.loaded = -1;
      c.report = {};
    }
    mark(s, "classes.item." + k.name);
  }
  ImGui::Separator();
  ImGui::TextUnformatted("New class");
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputTextWithHint("##newclass", "name, e.g. Period 3", &c.new_class,
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  mark(s, "classes.new_name");
  if (ImGui::Button("Create class", ImVec2(-1, 0)) || enter) {
    c.new_class = trim_blanks(c.new_class);
    c.report = create_class_task(s.db, c.new_class, s.settings.deck);
    if (c.report.ok()) {
      if (auto k = find_class(s.db, c.new_class)) c.selected = k->id;
      c.new_class.clear();
      ++s.data_version;
    }
  }
  mark(s, "classes.create");
  if (ImGui::Button("New class from a roster...", ImVec2(-1, 0)))
    open_chooser(s, "roster-new", "A new class from a roster file (named after the file)", false, roster_extensions());
  mark(s, "classes.import_new");
  hint(("New classes use the " + s.settings.deck + " deck (Settings).").c_str());
  end_panel();
  mark(s, "classes.list");
}

void roster_table(AppState& s, const ClassInfo& k) {
  ClassesState& c = s.classes;
  if (!ImGui::BeginTable("roster", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_ScrollY,
                         ImVec2(0, -ImGui::GetFrameHeightWithSpacing() * 1.6f)))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Card", ImGuiTableColumnFlags_WidthFixed, 130);
  ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 2);
  ImGui::TableSetupColumn("Tags", ImGuiTableColumnFlags_WidthStretch, 1);
  ImGui::TableHeadersRow();
  for (const auto& st : c.students) {
    StudentEdit& e = c.edits[st.id];
    ImGui::PushID(static_cast<int>(st.id));
    ImGui::TableNextRow();
    bool commit = false;
    ImGui::TableSetColumnIndex(0);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputInt("##card", &e.card, 0, 0);
    commit |= ImGui::IsItemDeactivatedAfterEdit();
    if (st.card == 1 || &st == &c.students.front()) mark(s, "classes.first_card");
    ImGui::TableSetColumnIndex(1);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##name", &e.name);
    commit |= ImGui::IsItemDeactivatedAfterEdit();
    if (&st == &c.students.front()) mark(s, "classes.first_name");
    ImGui::TableSetColumnIndex(2);
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##tags", "e.g. el iep", &e.tags);
    commit |= ImGui::IsItemDeactivatedAfterEdit();
    if (commit) {
      c.report = edit_student_task(s.db, st.id, e.name, e.tags, e.card);
      ++s.data_version;  // on refusal too: the row shows what is stored again
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  mark(s, "classes.roster");
  // A student added by hand.
  ImGui::SetNextItemWidth(300);
  ImGui::InputTextWithHint("##newstudent", "new student's name", &c.new_student);
  mark(s, "classes.new_student");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(200);
  ImGui::InputTextWithHint("##newtags", "tags", &c.new_tags);
  ImGui::SameLine();
  if (ImGui::Button("Add student")) {
    c.report = add_student_task(s.db, k.id, c.new_student, c.new_tags, 0);
    if (c.report.ok()) {
      c.new_student.clear();
      c.new_tags.clear();
      ++s.data_version;
    }
  }
  mark(s, "classes.add_student");
}

void class_detail(AppState& s) {
  ClassesState& c = s.classes;
  ImGui::BeginChild("class-detail", ImVec2(0, 0), false);
  const auto k = c.selected ? find_class(s.db, c.selected) : std::nullopt;
  if (!k) {
    heading("Make your first class");
    hint("Type a name on the left and press Create class, or drop a roster file (CSV from a spreadsheet or "
         "your school system) anywhere on this window: a class named after the file is made from it.");
    draw_report(s, c.report, "classes.report");
    ImGui::EndChild();
    return;
  }
  const Deck* deck = find_deck(k->deck);
  heading((k->name + "  -  " + std::to_string(c.students.size()) + " students").c_str());
  mark(s, "classes.title");
  // As `cardpoll class rename|delete`: the same checks, the same backup before a delete.
  switch (rename_or_delete(s, "classes", c.rename, c.confirm_delete,
                           "Delete the class, its students and lessons? (a copy of the database is made first)")) {
    case RenameOrDelete::Rename:
      c.report = rename_class_task(s.db, k->id, trim_blanks(c.rename), default_corrector());
      if (c.report.ok()) c.rename.clear();
      ++s.data_version;
      break;
    case RenameOrDelete::Delete:
      c.report = delete_class_task(s.db, k->id, default_corrector());
      if (c.report.ok()) c.selected = 0;
      ++s.data_version;
      break;
    case RenameOrDelete::Nothing: break;
  }
  if (c.pending_drop) {
    const std::string stem = c.pending_drop->stem().string();
    ImGui::TextColored(ImVec4(0.20f, 0.42f, 0.62f, 1), "Import %s:", c.pending_drop->filename().c_str());
    ImGui::SameLine();
    if (ImGui::Button(("into " + k->name).c_str())) c.report = import_roster_for_ui(s, *c.pending_drop, true);
    mark(s, "classes.drop_into");
    ImGui::SameLine();
    if (c.pending_drop && ImGui::Button(("as the class \"" + stem + "\"").c_str()))
      c.report = import_roster_for_ui(s, *c.pending_drop, false);
    mark(s, "classes.drop_new");
    ImGui::SameLine();
    if (c.pending_drop && ImGui::Button("Cancel##drop")) c.pending_drop.reset();
    if (!c.pending_drop) {
      reload(s);
      ImGui::EndChild();
      return;
    }
  }
  if (ImGui::Button("Import a roster...")) open_chooser(s, "roster", "Import a roster into " + k->name, false, roster_extensions());
  mark(s, "classes.import");
  ImGui::SameLine();
  ImGui::Checkbox("replace the roster", &c.replace);
  hint(("Deck " + k->deck + (deck ? ": cards 1-" + std::to_string(deck->cards()) : std::string()) +
        ". Change a card, a name or tags in place; Enter or clicking elsewhere stores it (card 0: no card).").c_str());
  hint(c.replace ? "Replace: students not in the file leave the roster (their past answers are kept)."
                 : "Merge: students are matched by name and keep their answers; students not in the file stay. "
                   "You can also drop a roster file on the window.");
  if (ImGui::Button("Print cards...")) {
    std::string name = "cards-" + k->name + ".pdf";
    for (char& ch : name)
      if (ch == ' ' || ch == '/') ch = '-';
    open_chooser(s, "cards", "Print the cards of " + k->name + " to a PDF", true, {".pdf"}, name);
  }
  mark(s, "classes.print");
  ImGui::SameLine();
  ImGui::Checkbox("A4 paper", &c.a4);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160);
  const char* per_page[] = {"1 a page", "2 a page", "4 a page"};
  int pp = c.per_page == 4 ? 2 : c.per_page == 2 ? 1 : 0;
  if (ImGui::Combo("##perpage", &pp, per_page, 3)) c.per_page = pp == 2 ? 4 : pp == 1 ? 2 : 1;
  draw_report(s, c.report, "classes.report");
  ImGui::Spacing();
  roster_table(s, *k);
  ImGui::EndChild();
}

}  // namespace

void draw_classes(AppState& s) {
  reload(s);
  if (auto f = take_chosen(s, "roster")) s.classes.report = import_roster_for_ui(s, *f, true);
  if (auto f = take_chosen(s, "roster-new")) s.classes.report = import_roster_for_ui(s, *f, false);
  if (auto f = take_chosen(s, "cards"))
    s.classes.report = print_class_cards(s.db, s.classes.selected, *f, s.classes.a4, s.classes.per_page);
  reload(s);
  class_list(s);
  ImGui::SameLine();
  class_detail(s);
}

}  // namespace cardpoll::ui
