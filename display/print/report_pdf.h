// A report (core/exchange/report.h) as an A4 PDF for printing: title, sentences wrapped to the page,
// tables with their header repeated on each new page; cells too wide are shortened with "...".
#pragma once

#include <filesystem>

#include "core/exchange/report.h"

namespace cardpoll::print {

// Written atomically (pdf_file.h): a failure leaves nothing at `path`.
void write_report_pdf(const std::filesystem::path& path, const Report& report);

}  // namespace cardpoll::print
