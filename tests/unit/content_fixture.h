// Test helpers shared by the loader, validate and command tests: throwaway
// content folders and running the real binary. Not a suite of its own.
#ifndef SIGNPOST_TESTS_CONTENT_FIXTURE_H_
#define SIGNPOST_TESTS_CONTENT_FIXTURE_H_

#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace signpost::testing {

/// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "signpost-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// Writes `text` to `rel` (creating folders), returning the full path.
  std::string Write(const std::string& rel, const std::string& text) const {
    std::filesystem::path p = std::filesystem::path(path_) / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << text;
    return p.string();
  }

 private:
  std::string path_;
};

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Copies the fixture content folder `name` (tests/fixtures/content/<name>)
/// to `dir`/content.
inline void CopyFixture(const std::string& name, const TempDir& dir) {
  std::filesystem::copy(std::string(SIGNPOST_SOURCE_DIR) + "/tests/fixtures/content/" + name,
                        std::filesystem::path(dir.path()) / "content",
                        std::filesystem::copy_options::recursive);
}

/// The result of running the signpost binary.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs `signpost <args>` in `cwd` with NO_COLOR set and SIGNPOST_TODAY pinned
/// to `today` (unset when `today` is empty).
/// `args` is passed to the shell as written (tests control it).
inline RunResult RunSignpost(const std::string& args, const std::string& cwd,
                             const std::string& today = "2026-11-23") {
  TempDir capture;
  std::string out = capture.path() + "/out", err = capture.path() + "/err";
  std::string env = today.empty() ? "env -u SIGNPOST_TODAY" : "SIGNPOST_TODAY=" + today;
  std::string cmd = "cd '" + cwd + "' && " + env + " NO_COLOR=1 '" + SIGNPOST_BINARY + "' " + args +
                    " >'" + out + "' 2>'" + err + "'";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

}  // namespace signpost::testing

#endif  // SIGNPOST_TESTS_CONTENT_FIXTURE_H_
