// The corrections of a session in its JSON and HTML exports.
#include <nlohmann/json.hpp>

#include "core/store/corrections.h"
#include "core/exchange/export.h"
#include "core/local_time.h"

namespace cardpoll {

std::string corrections_json(const std::vector<Correction>& list) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& c : list)
    j.push_back({{"at", iso8601_utc(c.at)},
                 {"who", c.who},
                 {"kind", c.kind},
                 {"ask", c.ask_number ? nlohmann::ordered_json(*c.ask_number) : nlohmann::ordered_json(nullptr)},
                 {"target", c.target},
                 {"old", c.old_value},
                 {"new", c.new_value}});
  return j.dump();
}

std::string corrections_html(const std::vector<Correction>& list) {
  if (list.empty()) return "";
  std::string h = "<h2>Corrections</h2>\n<p class=\"muted\">Changed after the lesson; every figure above already "
                  "counts them.</p>\n<table>\n<tr><th>When</th><th>Who</th><th>What</th><th>Was</th><th>Now</th></tr>\n";
  for (const auto& c : list)
    h += "<tr><td>" + html_escape(local_time_label(c.at)) + "</td><td>" + html_escape(c.who) + "</td><td>" +
         html_escape(c.kind + ": " + c.target) + "</td><td>" + html_escape(c.old_value) + "</td><td>" +
         html_escape(c.new_value) + "</td></tr>\n";
  return h + "</table>\n";
}

}  // namespace cardpoll
