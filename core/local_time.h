// Times for people: every time a teacher reads (session list, reports, the HTML export) is
// local time with its zone. Machine formats (CSV/JSON timestamps) stay ISO-8601 UTC.
#pragma once

#include <optional>
#include <string>

#include "core/model.h"

namespace cardpoll {

// "2026-03-04 10:15 CET" in the machine's local time zone (TZ honoured).
std::string local_time_label(TimeMs t);
// The zone's abbreviation at that time ("CET", "UTC").
std::string local_zone_label(TimeMs t);
// "2026-03-04" local.
std::string local_date_label(TimeMs t);
// Parses "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" as local time; std::nullopt when malformed.
std::optional<TimeMs> parse_local_time(const std::string& text);
// Local midnight of the day after the one `t` falls on (a day is 23-25 h where the clocks change).
TimeMs next_local_day_start(TimeMs t);

}  // namespace cardpoll
