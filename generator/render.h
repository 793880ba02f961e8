// Stage 3, render: turns the Catalogue into HTML pages (Mustache templates
// from the templates folder, Markdown bodies through cmark-gfm), sitemap.xml,
// robots.txt and the theme assets, written through the SiteWriter.
#ifndef SIGNPOST_RENDER_H_
#define SIGNPOST_RENDER_H_

#include <string>

#include "body_texts.h"
#include "catalogue.h"
#include "diagnostic.h"
#include "site_writer.h"

namespace signpost {

/// Renders every page of the site into `writer`. Template problems are
/// reported against the template file and line. Returns false on any error.
/// When `texts` is given, the plain text of each published service's body
/// (from the same Markdown parse as its page) is put into its slot, "" for
/// a body that could not be rendered; the caller closes `texts` after.
bool RenderSite(const Catalogue& catalogue, const std::string& templates_dir, SiteWriter* writer,
                Diagnostics* diags, BodyTexts* texts = nullptr);

}  // namespace signpost

#endif  // SIGNPOST_RENDER_H_
