// The thin `signpost` executable: parse the command line, run one command.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Signpost: builds a searchable directory of mental-health and wellbeing services"};
  app.set_version_flag("--version", std::string("signpost ") + SIGNPOST_VERSION);
  app.require_subcommand(1);

  signpost::BuildOptions build;
  auto* build_cmd = app.add_subcommand("build", "Build the static site from the content folder");
  build_cmd->add_option("--content", build.content_dir, "Content folder")->capture_default_str();
  build_cmd->add_option("--templates", build.templates_dir, "Templates folder")
      ->capture_default_str();
  build_cmd->add_option("--out", build.out_dir, "Output folder")->capture_default_str();
  build_cmd->add_flag("-q,--quiet", build.quiet, "Print only diagnostics");
  build_cmd->add_flag("--timings", build.timings, "Print how long each stage took");
  build_cmd->add_flag("--clean", build.clean,
                      "Rewrite every file and swap the whole output folder at once "
                      "(default: update only the files that changed)");

  signpost::CheckOptions check;
  auto* check_cmd = app.add_subcommand("check", "Validate the content; writes nothing");
  check_cmd->add_option("--content", check.content_dir, "Content folder")->capture_default_str();
  check_cmd->add_option("--format", check.format, "Diagnostic format")
      ->check(CLI::IsMember({"text", "github"}))
      ->capture_default_str();

  signpost::SearchOptions search;
  auto* search_cmd = app.add_subcommand("search", "Search the built index");
  search_cmd->add_option("query", search.query, "What to look for")->required();
  search_cmd->add_option("--index", search.index, "The search database")->capture_default_str();
  search_cmd->add_option("--category", search.category, "Only this category slug");
  search_cmd->add_option("--area", search.area, "Only services covering this area slug");
  search_cmd->add_option("--tier", search.tier, "Only this tier slug");
  search_cmd->add_flag("--self-referral", search.self_referral,
                       "Only services you can self-refer to");
  search_cmd->add_option("--limit", search.limit, "Most results to show")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  search_cmd->add_flag("--json", search.json, "Print JSON for scripts");

  signpost::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Preview the site locally, rebuilding on change");
  serve_cmd->add_option("--port", serve.port, "Port")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str();
  serve_cmd->add_option("--host", serve.host, "Address to bind (loopback by default)")
      ->capture_default_str();
  serve_cmd->add_option("--content", serve.content_dir, "Content folder")->capture_default_str();
  serve_cmd->add_option("--templates", serve.templates_dir, "Templates folder")
      ->capture_default_str();
  serve_cmd->add_option("--out", serve.out_dir, "Output folder")->capture_default_str();
  serve_cmd->add_flag("--timings", serve.timings, "Print how long each stage of a rebuild took");

  signpost::NewOptions fresh;
  auto* new_cmd = app.add_subcommand("new", "Scaffold a new service entry");
  new_cmd->add_option("slug", fresh.slug, "File name for the entry, e.g. example-peer-support")
      ->required();
  new_cmd->add_option("--content", fresh.content_dir, "Content folder")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return signpost::kExitUsage;
  }

  if (build_cmd->parsed()) return signpost::RunBuild(build);
  if (check_cmd->parsed()) return signpost::RunCheck(check);
  if (search_cmd->parsed()) return signpost::RunSearch(search);
  if (serve_cmd->parsed()) return signpost::RunServe(serve);
  if (new_cmd->parsed()) return signpost::RunNew(fresh);
  return signpost::kExitUsage;
}
