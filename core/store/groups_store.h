// Saved groupings: `cardpoll groups suggest --save` writes one, the live view and
// `groups show/export` read the newest, and the next mixed suggestion learns roles and
// partners from the last ones. Tables: core/store/schema.cpp, step 2.
#pragma once

#include <optional>
#include <vector>

#include "core/store/db.h"
#include "core/groups/groups.h"

namespace cardpoll {

// Stores `grouping` for its class_id (created_at = now when 0) in one transaction (or the
// caller's) and returns the new id. Throws std::runtime_error naming the class, a session or a
// student that does not exist; nothing is half-written.
Id save_grouping(Database& db, const Grouping& grouping);

// One saved grouping; member names and cards are the students' current ones.
std::optional<Grouping> load_grouping(Database& db, Id grouping_id);
// The newest saved grouping of a class (what the live view shows), or none.
std::optional<Grouping> load_latest_grouping(Database& db, Id class_id);
// The newest `limit` saved groupings of a class, newest first (the history for rotation).
std::vector<Grouping> load_groupings(Database& db, Id class_id, int limit);
// The grouping in use between two moments: the newest one saved before `before`
// (e.g. the start of the re-assessment session). None when nothing was saved before it.
std::optional<Grouping> grouping_in_use_at(Database& db, Id class_id, TimeMs before);

}  // namespace cardpoll
