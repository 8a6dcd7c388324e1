// Reports over several sessions of a class: one student's (every answer over a period, each
// skill over time: for a parent meeting or a student conference) and the class's (each
// session, each student, each skill over time). Pure functions of SessionData that build a
// Report (headings, sentences, tables of text); report_html() renders it as one
// self-contained page, display/print/report_pdf.h as a PDF. Every time shown is local time.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/session_data.h"
#include "core/tally.h"

namespace cardpoll {

struct ReportTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as long as header
};

struct ReportSection {
  std::string heading;
  std::vector<std::string> paragraphs;
  std::vector<ReportTable> tables;
};

struct Report {
  std::string title;     // "Ana Garcia, Period 3"
  std::string subtitle;  // "5 sessions, 2026-03-01 to 2026-03-20 (local time)"
  std::vector<ReportSection> sections;
};

// Asks opened in `range` count. sessions: of one class, any order (shown oldest first).
// Throws std::runtime_error when the student is in none of the sessions' rosters.
Report student_report(std::span<const SessionData> sessions, Id student_id, const TimeRange& range = {});
Report class_report(std::span<const SessionData> sessions, const TimeRange& range = {});

std::string report_html(const Report& r);

}  // namespace cardpoll
