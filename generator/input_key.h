// A running hash of the inputs something is made from, to tell whether it
// must be made again (RenderMemo's page keys, the search index's record).
#ifndef SIGNPOST_INPUT_KEY_H_
#define SIGNPOST_INPUT_KEY_H_

#include <xxhash.h>

#include <cstdint>
#include <string_view>

namespace signpost {

/// Each piece is hashed with the hash so far as its seed, its length mixed
/// in, so the order and the boundaries of pieces count.
class InputKey {
 public:
  explicit InputKey(uint64_t seed = 0) : hash_(seed) {}
  InputKey& Add(std::string_view bytes) {
    hash_ = XXH3_64bits_withSeed(bytes.data(), bytes.size(),
                                 hash_ ^ (bytes.size() * 0x9E3779B97F4A7C15ull));
    return *this;
  }
  InputKey& Add(uint64_t value) {
    return Add(std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
  }
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_;
};

}  // namespace signpost

#endif  // SIGNPOST_INPUT_KEY_H_
