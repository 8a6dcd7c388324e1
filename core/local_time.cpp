#include "core/local_time.h"

#include <cstdio>
#include <ctime>

namespace cardpoll {

namespace {
std::string format_local(TimeMs t, const char* fmt) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}
}  // namespace

std::string local_time_label(TimeMs t) { return format_local(t, "%Y-%m-%d %H:%M %Z"); }

std::string local_zone_label(TimeMs t) { return format_local(t, "%Z"); }

std::string local_date_label(TimeMs t) { return format_local(t, "%Y-%m-%d"); }

std::optional<TimeMs> parse_local_time(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  char tail = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2d %2d:%2d%c", &y, &mo, &d, &h, &mi, &tail);
  if (!(n == 3 || n == 5) || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59)
    return std::nullopt;
  if (n == 3 && text.size() != 10) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_isdst = -1;
  const std::time_t secs = std::mktime(&tm);
  if (secs == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<TimeMs>(secs) * 1000;
}

TimeMs next_local_day_start(TimeMs t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  tm.tm_mday += 1;  // mktime carries into the next month and year
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_isdst = -1;
  return static_cast<TimeMs>(std::mktime(&tm)) * 1000;
}

}  // namespace cardpoll
