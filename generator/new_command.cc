// `signpost new SLUG`: writes the commented skeleton for a new entry, never
// overwriting an existing file.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "commands.h"
#include "loader.h"
#include "scaffold.h"
#include "suggest.h"

namespace signpost {

int RunNew(const NewOptions& options) {
  namespace fs = std::filesystem;
  const std::string& slug = options.slug;
  if (!IsSlug(slug) || slug.size() > 100) {
    std::string fix = SuggestSlug(slug);
    std::fprintf(stderr,
                 "signpost new: `%s` is not a slug: use lower-case letters, digits and hyphens\n",
                 SanitizeForDisplay(slug).c_str());
    if (!fix.empty() && fix.size() <= 100) {
      std::fprintf(stderr, "  hint: signpost new %s\n", fix.c_str());
    }
    return kExitUsage;
  }
  fs::path services = fs::path(options.content_dir) / "services";
  std::error_code ec;
  if (!fs::is_directory(services, ec)) {
    std::fprintf(stderr,
                 "signpost new: there is no folder %s\n"
                 "  hint: run signpost from the repository's top folder, or pass --content DIR\n",
                 services.string().c_str());
    return kExitUsage;
  }
  std::string path = (services / (slug + ".md")).string();
  if (fs::exists(fs::symlink_status(path, ec))) {
    std::fprintf(stderr,
                 "signpost new: %s already exists; it was left as it was\n"
                 "  hint: edit that file, or choose another slug\n",
                 path.c_str());
    return kExitUsage;
  }

  // The taxonomy only improves the comments; a broken one is check's business.
  Taxonomy taxonomy;
  SourceMap sources;
  Diagnostics ignored;
  LoadTaxonomyFile((fs::path(options.content_dir) / "taxonomy.toml").string(), &taxonomy, &sources,
                   &ignored);
  std::string text = ServiceSkeleton(slug, taxonomy, Date::Today());

  // Write a temporary file, then link it into place: the entry appears
  // complete or not at all, and link() fails rather than overwrite a file
  // created meanwhile.
  std::string tmp = (services / ("." + slug + ".md.tmp" + std::to_string(::getpid()))).string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::fprintf(stderr, "signpost new: cannot write %s: %s\n", tmp.c_str(), std::strerror(errno));
    return kExitFailure;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = (::fsync(fd) == 0) && ok;
  ok = (::close(fd) == 0) && ok;
  int link_errno = 0;
  if (ok && ::link(tmp.c_str(), path.c_str()) != 0) {
    link_errno = errno;
    ok = false;
  }
  ::unlink(tmp.c_str());
  if (!ok) {
    if (link_errno == EEXIST) {
      std::fprintf(stderr, "signpost new: %s already exists; it was left as it was\n",
                   path.c_str());
      return kExitUsage;
    }
    std::fprintf(stderr, "signpost new: cannot write %s: %s\n", path.c_str(),
                 std::strerror(link_errno ? link_errno : errno));
    return kExitFailure;
  }
  // The command as README.md and CONTRIBUTING.md write it (run from the
  // repository's top folder after scripts/setup).
  std::string check = "./build/signpost check";
  if (options.content_dir != NewOptions().content_dir) check += " --content " + options.content_dir;
  std::printf(
      "created %s\n"
      "next steps:\n"
      "  1. open it and replace every value starting with TODO (the comments explain each field)\n"
      "  2. check it with: %s\n"
      "  3. commit the file and open a pull request\n",
      path.c_str(), check.c_str());
  return kExitOk;
}

}  // namespace signpost
