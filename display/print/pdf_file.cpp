#include "display/print/pdf_file.h"

#include <cairo-pdf.h>

#include <memory>
#include <stdexcept>

#include "core/store/atomic_file.h"

namespace cardpoll::print {

void write_pdf_atomically(const std::filesystem::path& path, double width_pt, double height_pt,
                          const std::string& title, const std::function<void(cairo_t*)>& draw) {
  replace_file_atomically(path, [&](const std::filesystem::path& tmp) {
    using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
    using Cairo = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
    Surface surface(cairo_pdf_surface_create(tmp.c_str(), width_pt, height_pt), cairo_surface_destroy);
    cairo_status_t status = cairo_surface_status(surface.get());
    if (status == CAIRO_STATUS_SUCCESS) {
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "cardpoll");
      Cairo cr(cairo_create(surface.get()), cairo_destroy);
      draw(cr.get());
      status = cairo_status(cr.get());
      cr.reset();
      cairo_surface_finish(surface.get());
      if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface.get());
    }
    if (status != CAIRO_STATUS_SUCCESS)
      throw std::runtime_error(path.string() + ": cannot write PDF (" + cairo_status_to_string(status) + ")");
  });
}

}  // namespace cardpoll::print
