// Word-at-a-time byte scans for the loader and validator: entries are
// almost all ASCII text in which the bytes a check looks for are rare, so
// testing 8 bytes per step instead of one cut those scans several-fold.
// Plain C++ on uint64_t (no SIMD intrinsics), exact for every input.
#ifndef SIGNPOST_SCAN_H_
#define SIGNPOST_SCAN_H_

#include <cstdint>
#include <cstring>
#include <string_view>

namespace signpost {

namespace scan_internal {

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighBits = 0x8080808080808080ull;

inline uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Non-zero exactly when some byte of `w` is zero: (x - 1) & ~x sets a
// byte's high bit for the first zero byte (later bits may be spurious, but
// only after a real zero, so the test as a whole is exact).
inline uint64_t ZeroByteBits(uint64_t w) { return (w - kOnes) & ~w & kHighBits; }

inline uint64_t MatchBits(uint64_t w, char c) {
  return ZeroByteBits(w ^ (kOnes * static_cast<unsigned char>(c)));
}

}  // namespace scan_internal

/// True when the 8 bytes at `p` are all ASCII (< 0x80) and none is NUL.
inline bool IsPlainAsciiWord(const char* p) {
  uint64_t w = scan_internal::Load8(p);
  return ((w | scan_internal::ZeroByteBits(w)) & scan_internal::kHighBits) == 0;
}

/// True when every byte of `text` is ASCII (< 0x80).
inline bool IsAscii(std::string_view text) {
  uint64_t seen = 0;  // every byte OR-ed in; only the high bits matter
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) seen |= scan_internal::Load8(text.data() + i);
  for (; i < text.size(); ++i) seen |= static_cast<unsigned char>(text[i]);
  return (seen & scan_internal::kHighBits) == 0;
}

/// The index of the first byte at or after `from` in `text` outside printable
/// ASCII (0x20 to 0x7E), or text.size() when there is none.
inline size_t PrintableAsciiEnd(std::string_view text, size_t from) {
  using scan_internal::kHighBits;
  using scan_internal::kOnes;
  const char* data = text.data();
  const size_t size = text.size();
  size_t i = from;
  // A byte is outside when its high bit is set (>= 0x80), when subtracting
  // 0x20 borrows (< 0x20: exact for bytes < 0x80, as in "has less than"),
  // or when it equals 0x7F.
  while (i + 8 <= size) {
    uint64_t w = scan_internal::Load8(data + i);
    if (((w | ((w - kOnes * 0x20) & ~w)) & kHighBits) != 0 || scan_internal::MatchBits(w, 0x7F)) {
      break;
    }
    i += 8;
  }
  while (i < size) {
    auto c = static_cast<unsigned char>(data[i]);
    if (c < 0x20 || c >= 0x7F) break;
    ++i;
  }
  return i;
}

/// The index of the first byte at or after `from` in `text` that equals one
/// of `bytes`, or text.size() when there is none.
template <typename... Bytes>
size_t FindAnyByte(std::string_view text, size_t from, Bytes... bytes) {
  const char* data = text.data();
  const size_t size = text.size();
  size_t i = from;
  while (i < size) {
    while (i + 8 <= size &&
           (scan_internal::MatchBits(scan_internal::Load8(data + i), bytes) | ...) == 0) {
      i += 8;
    }
    // The word at i holds a match (or is the short tail): find it bytewise.
    const size_t end = i + 8 < size ? i + 8 : size;
    for (; i < end; ++i) {
      const char c = data[i];
      if (((c == bytes) || ...)) return i;
    }
  }
  return size;
}

}  // namespace signpost

#endif  // SIGNPOST_SCAN_H_
