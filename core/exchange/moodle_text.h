// Text from Moodle (GIFT, Aiken, Moodle XML) turned into what a projector should show.
//
// Moodle stores question and choice text as HTML or with a format marker in front
// ("[html]", "[moodle]", "[plain]", "[markdown]"). clean_moodle_text:
//   - drops the format marker;
//   - removes HTML tags; <br>, <p>, <div>, <li>, <tr>, headings end a line (the line breaks a
//     teacher typed stay); in HTML the source's own line breaks are spaces, as a browser
//     shows them, while in text without any tag they are kept;
//   - keeps a <pre> block as it is (its spaces and line breaks), without the tags;
//   - decodes entities (&amp; &lt; &nbsp; &eacute; &#233; &#xE9; ...); an unknown entity is
//     left as written;
//   - writes list items as "• item" lines;
//   - trims every line and drops empty ones (a projector has little room).
// Text that is not HTML ("x < y", "a <= b") is left alone: only a '<' followed by a letter,
// '/' or '!' and closed by a '>' is a tag.
#pragma once

#include <string>
#include <string_view>

namespace cardpoll {

std::string clean_moodle_text(std::string_view text);

// The text without a leading format marker ("[html]" etc., any case, spaces before it).
std::string_view drop_format_marker(std::string_view text);

}  // namespace cardpoll
