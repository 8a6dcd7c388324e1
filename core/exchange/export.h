// Exports of one session, as text ready to write (the CLI writes it atomically).
// Pure functions of SessionData. Formats (docs/data-formats.md, "Exports"):
//
//   responses  CSV, header exactly
//              session_id,ask_number,question_id,question_text,skill,card,student,answer,correct,answered_at
//              one row per ask per student (roster order within an ask); answer empty when
//              none; correct 1/0, empty for surveys and no answer; skill = tags joined by ';';
//              answered_at = ISO-8601 UTC of the last change. This header is a stable
//              contract: outside tools depend on it.
//   scoresheet CSV, a row per student: card, student, one column per ask ("B right",
//              "C wrong", "A" for a survey, empty when no answer), right, scored, percent.
//   json       everything of the session (class, students, questions, asks, responses, every
//              change, unassigned cards, tallies, mastery). "format": "cardpoll-session",
//              "version": 1.
//   html       one self-contained page (no network): per-ask bar charts and a student x skill
//              mastery heat map as inline SVG; every text HTML-escaped.
//
// CSVs are RFC 4180 (CRLF, quotes where needed) with spreadsheet formulas neutralised, UTF-8
// without a byte-order mark.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/session_data.h"

namespace cardpoll {

enum class ExportFormat { Responses, Scoresheet, Json, Html };

// "responses", "scoresheet", "json", "html"; nullopt for anything else.
std::optional<ExportFormat> export_format_from_name(std::string_view name);
std::string_view export_format_name(ExportFormat f);
// "responses|scoresheet|json|html", for usage text.
std::string export_format_names();

// The exact responses header line (without CRLF).
extern const char* const kResponsesHeader;

std::string export_responses_csv(const SessionData& s);
std::string export_scoresheet_csv(const SessionData& s);
std::string export_json(const SessionData& s);
std::string export_html(const SessionData& s);
std::string export_session(const SessionData& s, ExportFormat format);

// "2026-03-04T09:15:02.250Z" (milliseconds, UTC).
std::string iso8601_utc(TimeMs t);
// Text safe inside HTML elements and attribute values (& < > " ').
std::string html_escape(std::string_view s);

}  // namespace cardpoll
