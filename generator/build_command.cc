// `signpost build` and `signpost check`: the pipeline in a straight line.
#include <chrono>
#include <cstdio>
#include <thread>

#include "body_texts.h"
#include "commands.h"
#include "loader.h"
#include "render.h"
#include "search_index.h"
#include "site_writer.h"
#include "static_index.h"
#include "validate.h"

namespace signpost {

namespace {

using Clock = std::chrono::steady_clock;

// The files of the search stage: the FTS5 database and the browser index.
bool IsSearchIndexFile(std::string_view rel) {
  return rel == kSearchDbPath || rel.substr(0, std::string_view(kStaticIndexDir).size()) ==
                                     std::string_view(kStaticIndexDir);
}

// True when the site `writer` updates in place already holds a whole search
// index made from `inputs` (SearchIndexInputs): every index file as the
// manifest records it, and the record of its inputs among them.
bool SearchIndexIsCurrent(SiteWriter* writer, uint64_t inputs) {
  std::string recorded;
  return writer->ReadPrevious(kSearchInputsPath, &recorded) &&
         recorded == FormatSearchInputs(inputs) && writer->AllInSite(IsSearchIndexFile);
}

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// load → validate, shared by build and check. Returns kExitOk,
// kExitContentError, or kExitFailure when a file could not be read at all.
// Without `look_alikes` the caller runs CheckLookAlikes itself.
int LoadAndValidate(const std::string& content_dir, Catalogue* catalogue, SourceMap* sources,
                    Diagnostics* diags, BuildMemo* memo = nullptr, double* load_ms = nullptr,
                    double* validate_ms = nullptr, bool look_alikes = true) {
  auto start = Clock::now();
  bool readable =
      LoadCatalogue(content_dir, catalogue, sources, diags, memo ? &memo->entries : nullptr);
  if (load_ms != nullptr) *load_ms = MillisecondsSince(start);
  start = Clock::now();
  Validate(*catalogue, Date::Today(), diags, memo ? &memo->checks : nullptr, look_alikes);
  if (validate_ms != nullptr) *validate_ms = MillisecondsSince(start);
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

BuildResult BuildSite(const BuildOptions& options, BuildMemo* memo) {
  auto start = std::chrono::steady_clock::now();
  // What the reported times count from (serve: the watcher's walk).
  const auto noticed = options.noticed != Clock::time_point{} ? options.noticed : start;
  BuildResult result;
  Catalogue catalogue;
  SourceMap sources;
  Diagnostics diags;
  // Whatever happens, the memo gets its entries back for the next build.
  struct GiveBack {
    BuildMemo* memo;
    Catalogue* catalogue;
    ~GiveBack() {
      if (memo != nullptr) memo->entries.Restore(catalogue);
    }
  } give_back{memo, &catalogue};
  double load_ms = 0, validate_ms = 0, render_ms = 0, index_ms = 0, commit_ms = 0;
  int status = LoadAndValidate(options.content_dir, &catalogue, &sources, &diags, memo, &load_ms,
                               &validate_ms, /*look_alikes=*/false);
  if (memo != nullptr) result.entries_parsed = memo->entries.parsed();
  // The look-alike pass compares every entry with the others: it runs beside
  // rendering (which does not depend on it), and its errors fail the build
  // before anything is committed.
  struct LookAlikes {
    Diagnostics diags;
    std::thread thread;
    double ms = 0;
    bool reused = false;  ///< serve: inputs unchanged since it last found nothing
    bool Finish() {  // true when it found an error
      if (thread.joinable()) thread.join();
      return diags.HasErrors();
    }
    ~LookAlikes() { Finish(); }
  } look_alikes;
  look_alikes.thread = std::thread([&] {
    auto look_start = Clock::now();
    const Date today = Date::Today();
    // serve: a body edit changes nothing this pass reads, and it found
    // nothing last time: it would find nothing again.
    const uint64_t inputs = memo != nullptr ? LookAlikeInputs(catalogue, today) : 0;
    if (memo != nullptr && inputs == memo->checks.look_alikes_clean) {
      look_alikes.reused = true;
    } else {
      CheckLookAlikes(catalogue, today, &look_alikes.diags);
      if (memo != nullptr) memo->checks.look_alikes_clean = look_alikes.diags.empty() ? inputs : 0;
    }
    look_alikes.ms = MillisecondsSince(look_start);
    // The last reader of where each key was written (for diagnostics): a
    // one-off build frees them now, while the pages render (~13 MB at
    // 10,000 entries; serve's memo checks entries again, so it keeps them).
    if (memo == nullptr) {
      for (Service& s : catalogue.services) s.positions = KeyPositions();
    }
  });
  if (status != kExitOk) {
    look_alikes.Finish();
    diags.Append(look_alikes.diags);
    diags.Sort();
    PrintDiagnostics(diags, sources, DiagnosticFormat::kText, stderr);
    std::fprintf(stderr, "build failed: %s was left as it was\n", options.out_dir.c_str());
    result.exit_code = status;
    return result;
  }

  // Output failures (templates, disk) are exit 3: the content itself was fine.
  Diagnostics output_diags;
  SiteWriter writer(options.out_dir);
  writer.set_update_in_place(!options.clean);
  if (memo != nullptr) writer.set_state(&memo->site);
  bool ok = writer.Begin(&output_diags);
  // Pages are kept when the key they were made under is unchanged: serve
  // remembers keys between its builds; any build (serve's first too) starts
  // from the keys the site's manifest recorded, so `signpost build` over its
  // own output renders only what changed.
  RenderMemo one_build(/*persistent=*/false);
  RenderMemo* pages = memo != nullptr ? &memo->pages : &one_build;
  if (ok && (memo == nullptr || !memo->built)) pages->Seed(writer.previous_keys());
  // serve: pages now, the search index after them (see pages_ready).
  // Nothing the search index is made from has changed (say, only a template
  // did): the previous index stays, and only the pages are made.
  const bool index_current = ok && SearchIndexIsCurrent(&writer, SearchIndexInputs(catalogue));
  const bool search_later = memo != nullptr && memo->built && options.pages_ready &&
                            writer.updating_in_place() && !index_current;
  if (ok && search_later) {
    writer.KeepWhere(IsSearchIndexFile);
    auto render_start = Clock::now();
    bool render_ok =
        RenderSite(catalogue, options.templates_dir, &writer, &output_diags, nullptr, pages);
    render_ms = MillisecondsSince(render_start);
    ok = render_ok && !look_alikes.Finish();
    auto commit_start = Clock::now();
    ok = ok && writer.Commit(&output_diags);
    commit_ms = MillisecondsSince(commit_start);
  } else if (ok) {
    // The search index only reads the catalogue and writes its own files, so
    // it is built on its own thread while the pages render: it is mostly one
    // long serial SQLite job that would otherwise run after them.
    // A one-off build reads each Markdown body once, in the renderer, which
    // frees it after (nothing else reads Service::body once validation is
    // done; serve's memo may render a page again, so it keeps them).
    std::vector<std::string> bodies;
    if (memo == nullptr) {
      bodies.reserve(catalogue.services.size());
      for (Service& s : catalogue.services) bodies.push_back(std::move(s.body));
    }
    Diagnostics index_diags;
    bool index_ok = true;
    // Each body's plain text comes from the renderer's own Markdown parse,
    // handed over as the pages are made; the index takes them in order.
    BodyTexts texts(index_current ? 0 : catalogue.services.size());
    std::thread index;
    if (index_current) {
      writer.KeepWhere(IsSearchIndexFile);
    } else {
      index = std::thread([&] {
        auto index_start = Clock::now();
        index_ok = WriteSearchIndex(
            catalogue, [&texts](size_t i) { return texts.Take(i); }, &writer, &index_diags);
        texts.Close();  // a failed index takes no more: pages must not wait for it
        index_ms = MillisecondsSince(index_start);
      });
    }
    auto render_start = Clock::now();
    bool render_ok =
        RenderSite(catalogue, options.templates_dir, &writer, &output_diags,
                   index_current ? nullptr : &texts, pages, memo == nullptr ? &bodies : nullptr);
    render_ms = MillisecondsSince(render_start);
    texts.Close();  // a failed render leaves slots empty: the index must not wait for them
    if (index.joinable()) index.join();
    output_diags.Append(index_diags);
    ok = render_ok && index_ok && !look_alikes.Finish();
    auto commit_start = Clock::now();
    ok = ok && writer.Commit(&output_diags);
    commit_ms = MillisecondsSince(commit_start);
  }
  bool content_errors = look_alikes.Finish();
  diags.Append(look_alikes.diags);
  diags.Append(output_diags);
  diags.Sort();
  PrintDiagnostics(diags, sources, DiagnosticFormat::kText, stderr);
  if (!ok || output_diags.HasErrors()) {
    pages->Discard();
    std::fprintf(stderr, "build failed: %s was left as it was\n", options.out_dir.c_str());
    result.exit_code = content_errors ? kExitContentError : kExitFailure;
    return result;
  }
  pages->Commit();
  result.look_alikes_reused = look_alikes.reused;
  result.pages_rendered = pages->rendered();
  result.pages_kept = pages->kept();
  if (memo != nullptr) memo->built = true;
  if (search_later) {
    result.pages_milliseconds = static_cast<long long>(MillisecondsSince(noticed));
    for (const Service& s : catalogue.services) result.services += s.IsPublished();
    result.files_changed = writer.files_changed();
    result.files_deleted = writer.files_deleted();
    options.pages_ready(result);
    // Every body's text is in the memo: its page was just rendered or kept.
    auto index_start = Clock::now();
    Diagnostics index_diags;
    SiteWriter index_writer(options.out_dir);
    index_writer.set_state(&memo->site);
    bool index_ok = index_writer.Begin(&index_diags);
    if (index_ok) {
      index_writer.KeepWhere([](std::string_view rel) { return !IsSearchIndexFile(rel); });
      index_ok = WriteSearchIndex(
          catalogue,
          [&catalogue, pages](size_t i) {
            std::string text;
            const Service& s = catalogue.services[i];
            pages->Text(s.slug, s.source_hash, &text);
            return text;
          },
          &index_writer, &index_diags);
      index_ok = index_ok && index_writer.Commit(&index_diags);
    }
    index_ms = MillisecondsSince(index_start);
    if (!index_ok || index_diags.HasErrors()) {
      PrintDiagnostics(index_diags, sources, DiagnosticFormat::kText, stderr);
      std::fprintf(stderr, "search index update failed: %s keeps the previous one\n",
                   options.out_dir.c_str());
      result.exit_code = kExitFailure;
      return result;
    }
    result.files_changed += index_writer.files_changed();
    result.files_deleted += index_writer.files_deleted();
    result.files = index_writer.files_written();
    result.bytes = index_writer.bytes_written();
    result.updated_in_place = true;
    result.milliseconds = static_cast<long long>(MillisecondsSince(noticed));
    if (options.timings) {
      std::fprintf(
          stderr,
          "timings: load %.0f ms, validate %.0f ms, pages %.0f ms | look-alikes %.0f ms%s | "
          "commit %.0f ms; then search index %.0f ms; total %.0f ms\n",
          load_ms, validate_ms, render_ms, look_alikes.ms,
          look_alikes.reused ? " (inputs unchanged)" : "", commit_ms, index_ms,
          MillisecondsSince(start));
    }
    return result;
  }
  if (options.timings) {
    // Pages and the search index are built at the same time, on their own threads.
    char index[48] = "search index unchanged, kept";
    if (!index_current) std::snprintf(index, sizeof index, "search index %.0f ms", index_ms);
    std::fprintf(stderr,
                 "timings: load %.0f ms, validate %.0f ms, pages %.0f ms | look-alikes %.0f ms%s | "
                 "%s, commit %.0f ms, total %.0f ms\n",
                 load_ms, validate_ms, render_ms, look_alikes.ms,
                 look_alikes.reused ? " (inputs unchanged)" : "", index, commit_ms,
                 MillisecondsSince(start));
  }
  for (const Service& s : catalogue.services) result.services += s.IsPublished();
  result.files = writer.files_written();
  result.files_changed = writer.files_changed();
  result.files_deleted = writer.files_deleted();
  result.updated_in_place = writer.updating_in_place();
  result.search_index_kept = index_current;
  result.bytes = writer.bytes_written();
  result.milliseconds = static_cast<long long>(MillisecondsSince(noticed));
  return result;
}

int RunBuild(const BuildOptions& options) {
  BuildResult result = BuildSite(options);
  if (result.exit_code == kExitOk && !options.quiet) {
    std::fprintf(stderr, "built %zu services (%zu files, %.1f MB) into %s/ in %lld ms\n",
                 result.services, result.files, result.bytes / 1e6, options.out_dir.c_str(),
                 result.milliseconds);
    if (result.updated_in_place) {
      std::fprintf(
          stderr, "updated in place: %zu files changed, %zu removed; %zu pages kept, %zu made%s\n",
          result.files_changed, result.files_deleted, result.pages_kept, result.pages_rendered,
          result.search_index_kept ? " (search index unchanged)" : "");
    }
  }
  return result.exit_code;
}

}  // namespace signpost
