// Groupings with real storage: from stored sessions to suggestions (core/groups/groups_input.h),
// saving and loading them, the re-assessment effect, reflection polls by group, and the
// `cardpoll groups` command end to end.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sys/wait.h>

#include "core/store/collector.h"
#include "core/groups/groups_effect.h"
#include "core/groups/groups_input.h"
#include "core/store/groups_store.h"
#include "core/json.h"
#include "core/store/storage.h"
#include "test_db_util.h"
#include "tests/support/cardpoll_cli.h"

namespace cardpoll {
namespace {

using testing_store::TempDir;
constexpr TimeMs kT0 = 1772614800000;  // 2026-03-04T09:00:00Z

struct ClassDb {
  TempDir dir;
  std::filesystem::path file = dir / "c.db";
  Database db{file, OpenOptions{true, false, Durability::Normal}};
  ClassInfo klass;
  std::vector<Student> students;
  QuestionSet set;
  Id s1 = 0, s2 = 0;

  // 8 students; questions 1-2 on fractions, 3-4 on decimals, 5 a reflection poll.
  ClassDb() {
    klass = create_class(db, "P3");
    const char* names[] = {"Ana", "Ben", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"};
    for (int i = 0; i < 8; ++i) {
      Student s;
      s.class_id = klass.id;
      s.display_name = names[i];
      s.first_name = names[i];
      s.card = i + 1;
      if (i == 0) s.tags = {"el", "lang:es"};
      if (i == 5) s.tags = {"lang:es"};
      students.push_back(add_student(db, s));
    }
    set = create_question_set(db, "unit 3");
    auto q = [&](const std::string& text, std::optional<Answer> correct, std::vector<std::string> skills) {
      Question x;
      x.text = text;
      x.choices = {"one", "two", "three", "four"};
      x.correct = correct;
      x.skills = std::move(skills);
      add_question(db, set.id, x);
    };
    q("1/2 = ?/4", Answer::B, {"fractions.equivalent"});
    q("2/3 = ?/6", Answer::D, {"fractions.equivalent"});
    q("0.3 < 0.25?", Answer::B, {"decimals.order"});
    q("0.5 > 0.45?", Answer::A, {"decimals.order"});
    q("How well did your group work?", std::nullopt, {});
    set = *find_question_set(db, set.id);
  }

  // answers[student][question] for the asks of `positions`; '.' = no answer.
  Id run_session(TimeMs at, const std::vector<int>& positions, const std::vector<std::string>& answers) {
    const Session s = start_session(db, klass.id, set.id, at);
    Collector c(db, s.id);
    TimeMs t = at;
    for (size_t k = 0; k < positions.size(); ++k) {
      c.ask_position(positions[k], t += 1000);
      for (size_t i = 0; i < answers.size(); ++i)
        if (answers[i][k] != '.') c.record(static_cast<int>(i) + 1, *answer_from_letter(answers[i][k]), t += 10);
    }
    c.end_session(t + 1000);
    return s.id;
  }
};

// Right answers: B D B A. Ana, Ben, Cy miss fractions (both); Dee, Eve miss decimals; Fay and
// Gus get everything; Hal never answers.
const std::vector<std::string> kBefore = {"AABB", "CCBA", "AABA", "BDAD", "BDCC", "BDBA", "BDBA", "...."};

TEST(GroupsStore, InputFromStoredSessions) {
  ClassDb c;
  c.s1 = c.run_session(kT0, {1, 2, 3, 4}, kBefore);
  const std::vector<SessionData> data = {load_session_data(c.db, c.s1)};
  GroupingRequest req;
  const GroupingInput in = grouping_input(data, req);
  EXPECT_EQ(in.skills, (std::vector<std::string>{"decimals.order", "fractions.equivalent"}));
  ASSERT_EQ(in.students.size(), 8u);
  EXPECT_EQ(in.students[0].name, "Ana");
  EXPECT_EQ(in.students[0].tags, (std::vector<std::string>{"el", "lang:es"}));
  EXPECT_FALSE(in.students[7].present);  // Hal
  EXPECT_TRUE(in.students[6].present);
  EXPECT_EQ(in.students[0].skills[1].level, SkillLevel::NotYet);
  EXPECT_EQ(in.students[0].skills[1].missed, (std::vector<std::string>{"Q1", "Q2"}));
  EXPECT_EQ(in.students[3].skills[0].missed, (std::vector<std::string>{"Q3", "Q4"}));
  req.skills = {"geometry"};
  EXPECT_THROW(grouping_input(data, req), GroupingError);

  // Fay and Gus answered every question right: for grouping that is no gap (core's mastery
  // rule wants three right in a row, more than a four-question check gives; docs/groups.md,
  // "Short checks"), so they form the extension group and sit in no reteach group. Dee and
  // Eve, "not yet" on decimals, are grouped on decimals.
  const Grouping g = suggest_groups(grouping_input(data, GroupingRequest{GroupMode::Needs, 1, {2, 3}, {}, {}}));
  EXPECT_EQ(g.absent, std::vector<std::string>{"Hal"});
  ASSERT_EQ(g.groups.size(), 3u);
  auto group_of = [&](const std::string& name) {
    for (const auto& grp : g.groups)
      for (const auto& m : grp.members)
        if (m.name == name) return &grp;
    return static_cast<const Group*>(nullptr);
  };
  EXPECT_EQ(group_of("Fay"), group_of("Gus"));
  EXPECT_EQ(group_of("Fay")->focus, "extension");
  EXPECT_EQ(group_of("Ana")->focus, "fractions.equivalent");
  EXPECT_EQ(group_of("Ana"), group_of("Ben"));
  EXPECT_EQ(group_of("Dee"), group_of("Eve"));
  EXPECT_EQ(group_of("Dee")->focus, "decimals.order");
  EXPECT_EQ(group_of("Dee")->reason, "Both missed Q3 and Q4: decimals.order.");
  EXPECT_EQ(g.groups[0].focus, "fractions.equivalent");
  EXPECT_TRUE(g.unsatisfied.empty()) << g.unsatisfied[0];
}

TEST(GroupsStore, SaveLoadRoundTripAndLatest) {
  ClassDb c;
  c.s1 = c.run_session(kT0, {1, 2, 3, 4}, kBefore);
  const std::vector<SessionData> data = {load_session_data(c.db, c.s1)};
  GroupingRequest req{GroupMode::Mixed, 7, {2, 3, {}, {}, true}, {}, {}};
  Grouping g = suggest_groups(grouping_input(data, req));
  g.class_id = c.klass.id;
  g.sessions = {c.s1};
  g.created_at = kT0 + 3600000;
  g.unsatisfied = {"Example note, with a comma"};
  const Id id = save_grouping(c.db, g);
  auto back = load_grouping(c.db, id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->mode, GroupMode::Mixed);
  EXPECT_EQ(back->seed, 7u);
  EXPECT_EQ(back->sessions, std::vector<Id>{c.s1});
  EXPECT_EQ(back->absent, g.absent);
  EXPECT_EQ(back->unsatisfied, g.unsatisfied);
  ASSERT_EQ(back->groups.size(), g.groups.size());
  for (size_t i = 0; i < g.groups.size(); ++i) {
    EXPECT_EQ(back->groups[i].name, g.groups[i].name);
    EXPECT_EQ(back->groups[i].reason, g.groups[i].reason);
    ASSERT_EQ(back->groups[i].members.size(), g.groups[i].members.size());
    for (size_t j = 0; j < g.groups[i].members.size(); ++j) {
      EXPECT_EQ(back->groups[i].members[j].student, g.groups[i].members[j].student);
      EXPECT_EQ(back->groups[i].members[j].name, g.groups[i].members[j].name);
      EXPECT_EQ(back->groups[i].members[j].card, g.groups[i].members[j].card);
      EXPECT_EQ(back->groups[i].members[j].role, g.groups[i].members[j].role);
    }
  }
  Grouping later = g;
  later.created_at += 1000;
  later.mode = GroupMode::Needs;
  later.groups[0].missed = {"Q1", "Q2"};
  const Id id2 = save_grouping(c.db, later);
  EXPECT_EQ(load_latest_grouping(c.db, c.klass.id)->id, id2);
  EXPECT_EQ(load_latest_grouping(c.db, c.klass.id)->groups[0].missed, (std::vector<std::string>{"Q1", "Q2"}));
  EXPECT_EQ(load_groupings(c.db, c.klass.id, 5).size(), 2u);
  EXPECT_EQ(grouping_in_use_at(c.db, c.klass.id, g.created_at + 500)->id, id);
  EXPECT_FALSE(grouping_in_use_at(c.db, c.klass.id, g.created_at));
  EXPECT_FALSE(load_latest_grouping(c.db, c.klass.id + 1));
}

TEST(GroupsStore, RefusedSaveLeavesNothingBehind) {
  ClassDb c;
  c.s1 = c.run_session(kT0, {1}, kBefore);
  const std::string before = testing_store::dump_database(c.file);
  Grouping g;
  g.class_id = c.klass.id;
  g.min_size = 2;
  g.max_size = 3;
  g.groups = {{"Group 1", "", {}, "r", {{c.students[0].id, "Ana", 1, ""}, {9999, "Ghost", 9, ""}}}};
  EXPECT_THROW(save_grouping(c.db, g), std::runtime_error);
  g.groups[0].members.pop_back();
  g.sessions = {4242};
  EXPECT_THROW(save_grouping(c.db, g), std::runtime_error);
  g.sessions = {};
  g.class_id = 999;
  EXPECT_THROW(save_grouping(c.db, g), std::runtime_error);
  EXPECT_EQ(testing_store::dump_database(c.file), before);
}

TEST(GroupsStore, EffectAndReflectionByGroup) {
  ClassDb c;
  c.s1 = c.run_session(kT0, {1, 2, 3, 4}, kBefore);
  Grouping g;
  g.class_id = c.klass.id;
  g.mode = GroupMode::Needs;
  g.min_size = 2;
  g.max_size = 3;
  auto member = [&](int i) { return GroupMember{c.students[i].id, c.students[i].display_name, i + 1, ""}; };
  g.groups = {{"Group 1", "fractions.equivalent", {}, "", {member(0), member(1), member(2)}},
              {"Group 2", "decimals.order", {}, "", {member(3), member(4)}}};
  g.created_at = kT0 + 3600000;
  save_grouping(c.db, g);
  // After: Ana and Ben now right on both fraction questions, Cy one of two; Dee right on
  // decimals, Eve still wrong on one. Then the reflection poll (question 5).
  const std::vector<std::string> after = {"BDBAA", "BDCCB", "BABAA", "ADBAC", "BABCC", "BDBAB", "BDBA.", "....."};
  c.s2 = c.run_session(kT0 + 7200000, {1, 2, 3, 4, 5}, after);
  const auto used = grouping_in_use_at(c.db, c.klass.id, load_session_data(c.db, c.s2).session.started_at);
  ASSERT_TRUE(used);
  const auto e = grouping_effect(*used, load_session_data(c.db, c.s1), load_session_data(c.db, c.s2));
  ASSERT_EQ(e.groups.size(), 2u);
  EXPECT_EQ(e.groups[0].before.right, 0);
  EXPECT_EQ(e.groups[0].before.answered, 6);
  EXPECT_EQ(e.groups[0].after.right, 5);
  EXPECT_EQ(e.groups[0].after.answered, 6);
  EXPECT_EQ(e.groups[0].students[2].after.right, 1);  // Cy
  EXPECT_EQ(e.groups[1].before.right, 0);
  EXPECT_EQ(e.groups[1].after.right, 3);
  ASSERT_EQ(e.skills.size(), 3u);  // the two focus skills, then all skills
  EXPECT_EQ(e.skills[0].skill, "fractions.equivalent");
  EXPECT_EQ(e.skills[0].before.right, 8);  // Dee, Eve, Fay, Gus: two each
  EXPECT_EQ(e.skills[0].before.answered, 14);
  EXPECT_EQ(e.skills[2].skill, "all skills");

  const auto r = reflection_by_group(*used, load_session_data(c.db, c.s2));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].question, "How well did your group work?");
  ASSERT_EQ(r[0].groups.size(), 3u);  // two groups and Fay, who is in none
  EXPECT_EQ(r[0].groups[0].counts, (std::array<int, 4>{2, 1, 0, 0}));
  EXPECT_EQ(r[0].groups[1].counts, (std::array<int, 4>{0, 0, 2, 0}));
  EXPECT_EQ(r[0].groups[2].name, "not in a group");
  EXPECT_EQ(r[0].groups[2].answered, 1);
}

// ---- the command ----

struct CommandRun {
  int code = 0;
  std::string out;  // stdout and stderr together
};

CommandRun cardpoll(const std::filesystem::path& db, const std::string& args) {
  const auto r = test_support::run_cardpoll_line("--db " + test_support::shell_quote(db.string()) + " " + args);
  return {r.exit_code, r.all()};
}

TEST(GroupsCommand, SuggestJsonSaveShowExportEffect) {
  ClassDb c;
  c.s1 = c.run_session(kT0, {1, 2, 3, 4}, kBefore);
  const std::string s1 = std::to_string(c.s1);
  c.db = Database();  // let the command have the file

  // Without anchoring, the three who missed both fraction questions are one group.
  const auto cons = c.dir / "c.txt";
  std::ofstream(cons) << "anchor: off\n";
  CommandRun r = cardpoll(c.file, "groups suggest --class P3 --session " + s1 +
                                      " --mode needs --size 2-3 --json --save --constraints '" + cons.string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string json = r.out.substr(0, r.out.rfind("saved as grouping"));
  const JsonValue v = parse_json(json);
  EXPECT_EQ(v["mode"].str(), "needs");
  ASSERT_FALSE(v["groups"].arr().empty());
  const auto& g0 = v["groups"][0];
  EXPECT_EQ(g0["focus"].str(), "fractions.equivalent");
  EXPECT_EQ(g0["reason"].str(), "All three missed Q1 and Q2: fractions.equivalent.");
  EXPECT_EQ(g0["members"][0]["student"].str(), "Ana");
  EXPECT_EQ(g0["members"][0]["card"].num(), 1);
  EXPECT_TRUE(g0["members"][0]["role"].is_null());
  EXPECT_EQ(v["absent"][0].str(), "Hal");
  EXPECT_TRUE(v["unsatisfied"].is_array());
  EXPECT_EQ(v.obj().size(), 4u);

  r = cardpoll(c.file, "groups show --class P3");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("All three missed Q1 and Q2: fractions.equivalent."), std::string::npos) << r.out;

  const auto csv = c.dir / "groups.csv";
  r = cardpoll(c.file, "groups export --class P3 --out '" + csv.string() + "'");
  ASSERT_EQ(r.code, 0) << r.out;
  std::ifstream f(csv);
  std::string header;
  std::getline(f, header);
  EXPECT_EQ(header, "group,focus,card,student,role,reason\r");

  // Mixed with a constraints file, then the same seed twice gives the same answer.
  std::ofstream(cons) << "# P3\nsize: 3-4\napart: Ana, Ben\ntogether: Fay, Gus\n";
  const std::string mixed = "groups suggest --class P3 --session " + s1 + " --mode mixed --json --constraints '" +
                            cons.string() + "' --seed 5";
  CommandRun m1 = cardpoll(c.file, mixed), m2 = cardpoll(c.file, mixed);
  ASSERT_EQ(m1.code, 0) << m1.out;
  EXPECT_EQ(m1.out, m2.out);
  EXPECT_EQ(parse_json(m1.out)["groups"][0]["members"][0]["role"].is_null(), false);

  std::ofstream(cons) << "size: 3-4\napart: Ana, Zed\n";
  r = cardpoll(c.file, mixed);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find(cons.string() + ":2: no student called 'Zed' in the class"), std::string::npos) << r.out;

  r = cardpoll(c.file, "groups suggest --class P3 --session " + s1 + " --mode clever");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--mode clever: expected needs, mixed, misconception or discuss"), std::string::npos) << r.out;

  r = cardpoll(c.file, "groups effect --before " + s1 + " --after " + s1);
  EXPECT_EQ(r.code, 1) << r.out;  // the grouping was saved after session 1 started
  EXPECT_NE(r.out.find("no grouping of \"P3\" was saved before session"), std::string::npos) << r.out;
  r = cardpoll(c.file, "groups effect --before " + s1 + " --after " + s1 + " --grouping latest");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("fractions.equivalent"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace cardpoll
