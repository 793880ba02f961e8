// `signpost build` and `signpost check`: the pipeline in a straight line.
#include <chrono>
#include <cstdio>
#include <thread>

#include "commands.h"
#include "fts_database.h"
#include "loader.h"
#include "render.h"
#include "search_index.h"
#include "site_writer.h"
#include "validate.h"

namespace signpost {

namespace {

// load → validate, shared by build and check. Returns kExitOk,
// kExitContentError, or kExitFailure when a file could not be read at all.
int LoadAndValidate(const std::string& content_dir, Catalogue* catalogue, SourceMap* sources,
                    Diagnostics* diags) {
  bool readable = LoadCatalogue(content_dir, catalogue, sources, diags);
  Validate(*catalogue, Date::Today(), diags);
  diags->Sort();
  if (!readable) return kExitFailure;
  return diags->HasErrors() ? kExitContentError : kExitOk;
}

}  // namespace

int RunCheck(const CheckOptions& options) {
  Catalogue catalogue;
  SourceMap sources;
  Diagnostics diags;
  int status = LoadAndValidate(options.content_dir, &catalogue, &sources, &diags);
  auto format = options.format == "github" ? DiagnosticFormat::kGithub : DiagnosticFormat::kText;
  PrintDiagnostics(diags, sources, format, stderr);
  if (status != kExitOk) return status;
  if (format == DiagnosticFormat::kText) {
    std::fprintf(stderr, "checked %zu services: no errors\n", catalogue.services.size());
  }
  return kExitOk;
}

BuildResult BuildSite(const BuildOptions& options) {
  auto start = std::chrono::steady_clock::now();
  BuildResult result;
  Catalogue catalogue;
  SourceMap sources;
  Diagnostics diags;
  if (int status = LoadAndValidate(options.content_dir, &catalogue, &sources, &diags);
      status != kExitOk) {
    PrintDiagnostics(diags, sources, DiagnosticFormat::kText, stderr);
    std::fprintf(stderr, "build failed: %s was left as it was\n", options.out_dir.c_str());
    result.exit_code = status;
    return result;
  }

  // Output failures (templates, disk) are exit 3: the content itself was fine.
  Diagnostics output_diags;
  SiteWriter writer(options.out_dir);
  writer.set_update_in_place(!options.clean);
  bool ok = writer.Begin(&output_diags);
  if (ok) {
    // The search index only reads the catalogue and writes its own files, so
    // it is built on its own thread while the pages render: it is mostly one
    // long serial SQLite job that would otherwise run after them.
    Diagnostics index_diags;
    bool index_ok = false;
    // The plain text of every body for the search index. To come from the
    // renderer, which parses each body anyway; parsed here until it does.
    std::vector<std::string> body_texts(catalogue.services.size());
    for (size_t i = 0; i < catalogue.services.size(); ++i) {
      const Service& s = catalogue.services[i];
      if (s.IsPublished()) body_texts[i] = MarkdownToPlainText(s.body);
    }
    std::thread index(
        [&] { index_ok = WriteSearchIndex(catalogue, body_texts, &writer, &index_diags); });
    bool render_ok = RenderSite(catalogue, options.templates_dir, &writer, &output_diags);
    index.join();
    output_diags.Append(index_diags);
    ok = render_ok && index_ok && writer.Commit(&output_diags);
  }
  diags.Append(output_diags);
  diags.Sort();
  PrintDiagnostics(diags, sources, DiagnosticFormat::kText, stderr);
  if (!ok || output_diags.HasErrors()) {
    std::fprintf(stderr, "build failed: %s was left as it was\n", options.out_dir.c_str());
    result.exit_code = kExitFailure;
    return result;
  }
  for (const Service& s : catalogue.services) result.services += s.IsPublished();
  result.files = writer.files_written();
  result.files_changed = writer.files_changed();
  result.files_deleted = writer.files_deleted();
  result.updated_in_place = writer.updating_in_place();
  result.bytes = writer.bytes_written();
  result.milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
  return result;
}

int RunBuild(const BuildOptions& options) {
  BuildResult result = BuildSite(options);
  if (result.exit_code == kExitOk && !options.quiet) {
    std::fprintf(stderr, "built %zu services (%zu files, %.1f MB) into %s/ in %lld ms\n",
                 result.services, result.files, result.bytes / 1e6, options.out_dir.c_str(),
                 result.milliseconds);
    if (result.updated_in_place) {
      std::fprintf(stderr, "updated in place: %zu files changed, %zu removed\n",
                   result.files_changed, result.files_deleted);
    }
  }
  return result.exit_code;
}

}  // namespace signpost
