// The G key's group view: a saved grouping (core/store/groups_store.h) turned into the projector's
// group cards, and what the projector then says (names hidden stay hidden).
#include <gtest/gtest.h>

#include "lesson/live_session.h"
#include "display/view_model.h"

using namespace cardpoll;
using namespace cardpoll::display;
using namespace cardpoll::lesson;

namespace {

Grouping needs_grouping() {
  Grouping g;
  g.mode = GroupMode::Needs;
  Group a;
  a.name = "Group 1";
  a.focus = "fractions.equivalent";
  a.reason = "all missed question 1";
  a.members = {{1, "Ana Garcia", 1, ""}, {2, "Ben Okafor", 2, ""}};
  Group e;
  e.name = "Extension 1";
  e.focus = "extension";
  e.reason = "mastered every skill in scope";
  e.members = {{3, "Chloe Martin", 3, ""}};
  g.groups = {a, e};
  return g;
}

}  // namespace

TEST(GroupsForView, NoSavedGroupingGivesNoCards) {
  const GroupsForView v = groups_for_view(std::nullopt);
  EXPECT_TRUE(v.groups.empty());
  EXPECT_EQ(v.title, "Groups");
}

TEST(GroupsForView, NeedsGroupsShowTheirFocusAndExtensionTheirReason) {
  const GroupsForView v = groups_for_view(needs_grouping());
  EXPECT_EQ(v.title, "Groups by need");
  ASSERT_EQ(v.groups.size(), 2u);
  EXPECT_EQ(v.groups[0].name, "Group 1");
  EXPECT_EQ(v.groups[0].note, "Focus: fractions.equivalent");
  EXPECT_EQ(v.groups[0].members, (std::vector<std::string>{"Ana Garcia", "Ben Okafor"}));
  EXPECT_EQ(v.groups[1].name, "Extension 1");
  EXPECT_EQ(v.groups[1].note, "mastered every skill in scope");
  EXPECT_EQ(v.groups[1].members, (std::vector<std::string>{"Chloe Martin"}));
}

TEST(GroupsForView, MixedGroupsShowReasonAndRoles) {
  Grouping g;
  g.mode = GroupMode::Mixed;
  Group m;
  m.name = "Group 1";
  m.reason = "covers every skill between them";
  m.members = {{1, "Ana Garcia", 1, "reader"}, {2, "Ben Okafor", 2, "recorder"}, {4, "Dev Patel", 4, ""}};
  g.groups = {m};
  const GroupsForView v = groups_for_view(g);
  EXPECT_EQ(v.title, "Mixed groups");
  ASSERT_EQ(v.groups.size(), 1u);
  EXPECT_EQ(v.groups[0].note, "covers every skill between them");
  EXPECT_EQ(v.groups[0].members,
            (std::vector<std::string>{"Ana Garcia - reader", "Ben Okafor - recorder", "Dev Patel"}));
}

TEST(GroupsForView, ProjectorShowsTheCardsAndHidesNamesWhenAsked) {
  const GroupsForView g = groups_for_view(needs_grouping());
  LiveState s;
  s.show_groups = true;
  s.groups_title = g.title;
  s.groups = g.groups;
  ProjectorView v = projector_view(s);
  EXPECT_TRUE(v.show_groups);
  EXPECT_EQ(v.groups_title, "Groups by need");
  ASSERT_EQ(v.groups.size(), 2u);
  EXPECT_EQ(v.groups[0].members[0], "Ana Garcia");
  s.names_hidden = true;
  v = projector_view(s);
  ASSERT_EQ(v.groups.size(), 2u);
  for (const auto& card : v.groups)
    for (const auto& m : card.members) EXPECT_EQ(m.find("Ana"), std::string::npos) << m;
}
