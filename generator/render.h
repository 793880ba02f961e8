// Stage 3, render: turns the Catalogue into HTML pages (Mustache templates
// from the templates folder, Markdown bodies through cmark-gfm), sitemap.xml,
// robots.txt and the theme assets, written through the SiteWriter.
#ifndef SIGNPOST_RENDER_H_
#define SIGNPOST_RENDER_H_

#include <string>

#include "catalogue.h"
#include "diagnostic.h"
#include "site_writer.h"

namespace signpost {

/// Renders every page of the site into `writer`. Template problems are
/// reported against the template file and line. Returns false on any error.
bool RenderSite(const Catalogue& catalogue, const std::string& templates_dir, SiteWriter* writer,
                Diagnostics* diags);

}  // namespace signpost

#endif  // SIGNPOST_RENDER_H_
