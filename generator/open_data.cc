#include "open_data.h"

#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

#include "page_context.h"
#include "scan.h"

namespace signpost {

namespace {

using Json = nlohmann::ordered_json;

uint64_t Fnv1a64(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// A StableUuid's 36 characters, held without a heap block (a service has
// about 15 ids).
struct Uuid {
  char text[36];
  std::string_view view() const { return std::string_view(text, sizeof text); }
};

// StableUuid of the concatenation of `parts`, without building it: FNV-1a
// runs byte by byte, so hashing the parts in turn is hashing their join.
Uuid StableUuidOf(std::initializer_list<std::string_view> parts) {
  uint64_t hi = 14695981039346656037ull;
  for (std::string_view part : parts) hi = Fnv1a64(part, hi);
  uint64_t lo = hi ^ 0x9e3779b97f4a7c15ull;
  for (std::string_view part : parts) lo = Fnv1a64(part, lo);
  // Version 8 (custom) and the RFC 4122 variant, so validators accept it.
  hi = (hi & ~0xF000ull) | 0x8000ull;
  lo = (lo & ~(0xC000ull << 48)) | (0x8000ull << 48);
  // 8-4-4-4-12 lower-case hex digits, written by hand: snprintf was most of
  // the export's cost (about 60 ids per service).
  static constexpr char kHex[] = "0123456789abcdef";
  Uuid out;
  size_t at = 0;
  // Two digits per step; `digits` is even.
  auto put = [&](uint64_t bits, int digits) {
    for (int d = digits - 2; d >= 0; d -= 2) {
      unsigned byte = static_cast<unsigned>(bits >> (4 * d)) & 0xFF;
      out.text[at] = kHex[byte >> 4];
      out.text[at + 1] = kHex[byte & 0xF];
      at += 2;
    }
  };
  auto dash = [&] { out.text[at++] = '-'; };
  put(hi >> 32, 8);
  dash();
  put((hi >> 16) & 0xFFFF, 4);
  dash();
  put(hi & 0xFFFF, 4);
  dash();
  put(lo >> 48, 4);
  dash();
  put(lo & 0xFFFFFFFFFFFFull, 12);
  return out;
}

std::string ByDay(const std::vector<std::string>& days) {
  static const char* kMap[][2] = {{"mon", "MO"}, {"tue", "TU"}, {"wed", "WE"}, {"thu", "TH"},
                                  {"fri", "FR"}, {"sat", "SA"}, {"sun", "SU"}};
  std::string out;
  for (const auto& pair : kMap) {
    for (const std::string& d : days) {
      if (d == pair[0]) {
        if (!out.empty()) out += ',';
        out += pair[1];
        break;
      }
    }
  }
  return out;
}

// Writes compact JSON straight into a buffer, byte for byte what nlohmann's
// dump(-1, ' ', false, replace) writes for the same document: the export
// used to build an ordered_json DOM per service (a map node and a string
// copy per field) only to serialise it once. Bytes go through a length
// into a pre-sized buffer: std::string::push_back was not inlined and cost
// as much as the rest of a key.
class JsonWriter {
 public:
  explicit JsonWriter(size_t expected_size) { buffer_.resize(expected_size); }

  /// The text written so far; the writer is empty afterwards.
  std::string Take() {
    buffer_.resize(size_);
    size_ = 0;
    return std::move(buffer_);
  }

  /// The text written since the last Clear(); valid until the next write.
  std::string_view View() const { return std::string_view(buffer_.data(), size_); }
  /// Forgets what was written, keeping the buffer for what comes next.
  void Clear() { size_ = 0; }

  /// Appends `text` as it is (layout between values, e.g. "\n").
  void Raw(std::string_view text) { Append(text.data(), text.size()); }

  void BeginObject() {
    Separate();
    Put('{');
  }
  void EndObject() { Put('}'); }
  void BeginArray() {
    Separate();
    Put('[');
  }
  void EndArray() { Put(']'); }

  /// Starts the member `key` of the current object; its value comes next.
  /// Keys are this file's own ASCII names: nothing in them needs escaping.
  void Key(std::string_view key) {
    Separate();
    char* out = Grow(key.size() + 3);
    out[0] = '"';
    std::memcpy(out + 1, key.data(), key.size());
    out[key.size() + 1] = '"';
    out[key.size() + 2] = ':';
    size_ += key.size() + 3;
  }

  void Value(std::string_view value) {
    Separate();
    String(value);
  }
  void Value(long long value) {
    Separate();
    char digits[24];
    Append(digits,
           static_cast<size_t>(std::to_chars(digits, digits + sizeof digits, value).ptr - digits));
  }
  void Value(bool value) {
    Separate();
    Raw(value ? "true" : "false");
  }

  void Field(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Field(std::string_view key, const char* value) { Field(key, std::string_view(value)); }
  void Field(std::string_view key, long long value) {
    Key(key);
    Value(value);
  }
  void Field(std::string_view key, bool value) {
    Key(key);
    Value(value);
  }

 private:
  // Room for `n` more bytes at the end; returns where they go.
  char* Grow(size_t n) {
    if (size_ + n > buffer_.size()) [[unlikely]]
      Enlarge(n);
    return buffer_.data() + size_;
  }
  // Out of line, so the common path of Grow stays small enough to inline.
  [[gnu::noinline]] void Enlarge(size_t n) {
    buffer_.resize(std::max(buffer_.size() * 2, size_ + n));
  }
  void Put(char c) {
    *Grow(1) = c;
    ++size_;
  }
  void Append(const char* bytes, size_t n) {
    std::memcpy(Grow(n), bytes, n);
    size_ += n;
  }

  // A comma before every value but the first of an object or array, and
  // none after a key (the last byte written says which; "\n" starts each
  // service's line).
  void Separate() {
    if (size_ == 0) return;
    char last = buffer_[size_ - 1];
    if (last != '{' && last != '[' && last != ':' && last != '\n') Put(',');
  }

  // A JSON string as nlohmann escapes it (ensure_ascii off): the two-letter
  // escapes for \b \t \n \f \r " and \, \u00xx (lower-case) for the other
  // bytes below 0x20, valid UTF-8 and everything else as it is.
  void String(std::string_view s) {
    const size_t start = size_;
    Put('"');
    for (size_t i = 0; i < s.size();) {
      size_t plain = PlainJsonEnd(s, i);
      Append(s.data() + i, plain - i);
      i = plain;
      if (i >= s.size()) break;
      auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x80) {
        int len = Utf8SequenceLength(s, i);
        if (len == 0) {
          // The loader refuses invalid UTF-8, so loaded content never gets
          // here; nlohmann's U+FFFD replacement rules are kept by asking it.
          size_ = start;
          Raw(Json(std::string(s)).dump(-1, ' ', false, Json::error_handler_t::replace));
          return;
        }
        Append(s.data() + i, static_cast<size_t>(len));
        i += static_cast<size_t>(len);
        continue;
      }
      ++i;
      switch (c) {
        case '\b':
          Raw("\\b");
          break;
        case '\t':
          Raw("\\t");
          break;
        case '\n':
          Raw("\\n");
          break;
        case '\f':
          Raw("\\f");
          break;
        case '\r':
          Raw("\\r");
          break;
        case '"':
          Raw("\\\"");
          break;
        case '\\':
          Raw("\\\\");
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          Append(escape, sizeof escape);
        }
      }
    }
    Put('"');
  }

  // The end of the run from `from` that JSON takes as it is: ASCII from
  // 0x20 up, except '"' and '\'. Checked 8 bytes at a time.
  static size_t PlainJsonEnd(std::string_view s, size_t from) {
    using scan_internal::kHighBits;
    using scan_internal::kOnes;
    size_t i = from;
    while (i + 8 <= s.size()) {
      uint64_t w = scan_internal::Load8(s.data() + i);
      // High bit: >= 0x80; the borrow test: < 0x20 (exact once w < 0x80).
      uint64_t special = (w | ((w - kOnes * 0x20) & ~w)) & kHighBits;
      if (special | scan_internal::MatchBits(w, '"') | scan_internal::MatchBits(w, '\\')) break;
      i += 8;
    }
    for (; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
    }
    return i;
  }

  std::string buffer_;  ///< Written bytes are [0, size_).
  size_t size_ = 0;
};

// One service, in the member order the ORUK export has always had.
void WriteService(const Catalogue& cat, const Service& s, JsonWriter* w) {
  const Uuid service_uuid = StableUuidOf({"service:", s.slug});
  const Uuid org_uuid = StableUuidOf({"organisation:", s.organisation});
  const std::string_view id = service_uuid.view(), org_id = org_uuid.view();
  w->BeginObject();
  w->Field("id", id);
  w->Field("organization_id", org_id);
  w->Field("name", s.name);
  w->Field("description", s.summary);
  if (IsHttpLink(s.contact.website)) w->Field("url", s.contact.website);
  if (!s.contact.email.empty()) w->Field("email", s.contact.email);
  w->Field("status", s.status == Status::kTemporarilyClosed ? "temporarily closed" : "active");
  w->Field("fees",
           s.cost_note.empty() ? CostLabel(s.cost) : CostLabel(s.cost) + ". " + s.cost_note);
  if (s.age_min) w->Field("minimum_age", static_cast<long long>(*s.age_min));
  if (s.age_max) w->Field("maximum_age", static_cast<long long>(*s.age_max));
  w->Field("assured_date", s.last_reviewed.ToIso());
  if (s.status == Status::kTemporarilyClosed) {
    w->Field("alert", s.reopens
                          ? "Temporarily closed. Expected to reopen on " + s.reopens->ToLong() + "."
                          : std::string("Temporarily closed."));
  }

  w->Key("schedules");
  w->BeginArray();
  for (size_t i = 0; i < s.hours.size(); ++i) {
    const Hours& h = s.hours[i];
    w->BeginObject();
    w->Field("id", StableUuidOf({"schedule:", s.slug, ":", std::to_string(i)}).view());
    w->Field("service_id", id);
    w->Field("freq", "WEEKLY");
    w->Field("byday", ByDay(h.days));
    w->Field("description", FormatHours(h));
    w->Field("opens_at", h.opens);
    w->Field("closes_at", h.closes);
    if (!h.channel.empty()) w->Field("attending_type", h.channel);
    if (!h.note.empty()) w->Field("notes", h.note);
    w->EndObject();
  }
  w->EndArray();

  w->Key("service_areas");
  w->BeginArray();
  for (const std::string& slug : s.areas) {
    const Area* a = cat.taxonomy.FindArea(slug);
    w->BeginObject();
    w->Field("id", StableUuidOf({"service_area:", s.slug, ":", slug}).view());
    w->Field("service_id", id);
    w->Field("name", a ? std::string_view(a->name) : std::string_view("All areas"));
    if (a) w->Field("extent", JoinWords(a->postcodes));
    w->EndObject();
  }
  w->EndArray();

  w->Key("service_at_locations");
  w->BeginArray();
  for (size_t i = 0; i < s.locations.size(); ++i) {
    const Location& l = s.locations[i];
    const std::string index = std::to_string(i);
    const Uuid loc_uuid = StableUuidOf({"location:", s.slug, ":", index});
    const std::string_view loc_id = loc_uuid.view();
    std::string_view street = l.address, city;
    if (size_t comma = l.address.rfind(','); comma != std::string::npos) {
      street = std::string_view(l.address).substr(0, comma);
      city = std::string_view(l.address).substr(comma + 1);
      while (!city.empty() && city.front() == ' ') city.remove_prefix(1);
    }
    w->BeginObject();
    w->Field("id", StableUuidOf({"service_at_location:", s.slug, ":", index}).view());
    w->Field("service_id", id);
    w->Field("location_id", loc_id);
    w->Key("location");
    w->BeginObject();
    w->Field("id", loc_id);
    w->Field("location_type", "physical");
    if (!l.name.empty()) w->Field("name", l.name);
    w->Key("addresses");
    w->BeginArray();
    w->BeginObject();
    w->Field("id", StableUuidOf({"address:", s.slug, ":", index}).view());
    w->Field("location_id", loc_id);
    w->Field("address_1", street);
    w->Field("city", city);
    w->Field("state_province", "");
    w->Field("postal_code", l.postcode);
    w->Field("country", "GB");
    w->Field("address_type", "physical");
    w->EndObject();
    w->EndArray();
    w->EndObject();
    w->EndObject();
  }
  w->EndArray();

  w->Key("languages");
  w->BeginArray();
  for (const std::string& lang : s.languages) {
    w->BeginObject();
    w->Field("id", StableUuidOf({"language:", s.slug, ":", lang}).view());
    w->Field("service_id", id);
    w->Field("name", lang);
    w->EndObject();
  }
  w->EndArray();

  w->Key("organization");
  w->BeginObject();
  w->Field("id", org_id);
  w->Field("name", s.organisation);
  w->Field("description", s.organisation);
  w->EndObject();

  w->Key("cost_options");
  w->BeginArray();
  w->BeginObject();
  w->Field("id", StableUuidOf({"cost_option:", s.slug}).view());
  w->Field("service_id", id);
  w->Field("option", CostLabel(s.cost));
  if (s.cost == "free") w->Field("amount", 0LL);
  if (!s.cost_note.empty()) w->Field("amount_description", s.cost_note);
  w->EndObject();
  w->EndArray();

  // HSDS 3.0 service.phones: not in ORUK's compiled service schema, which
  // allows extra properties.
  w->Key("phones");
  w->BeginArray();
  if (!s.contact.phone.empty()) {
    w->BeginObject();
    w->Field("id", StableUuidOf({"phone:", s.slug}).view());
    w->Field("service_id", id);
    w->Field("number", s.contact.phone);
    w->Field("type", "voice");
    w->EndObject();
  }
  if (!s.contact.text.empty()) {
    w->BeginObject();
    w->Field("id", StableUuidOf({"text:", s.slug}).view());
    w->Field("service_id", id);
    w->Field("number", s.contact.text);
    w->Field("type", "sms");
    w->EndObject();
  }
  w->EndArray();

  w->Key("attributes");
  w->BeginArray();
  for (const std::string& slug : s.categories) {
    const Category* c = cat.taxonomy.FindCategory(slug);
    const Uuid term_uuid = StableUuidOf({"category:", slug});
    const std::string_view term_id = term_uuid.view();
    w->BeginObject();
    w->Field("id", StableUuidOf({"attribute:", s.slug, ":", slug}).view());
    w->Field("link_id", id);
    w->Field("taxonomy_term_id", term_id);
    w->Field("link_type", "service");
    w->Key("taxonomy_term");
    w->BeginObject();
    w->Field("id", term_id);
    w->Field("name", c ? std::string_view(c->name) : std::string_view(slug));
    w->Field("description", c ? std::string_view(c->description) : std::string_view(slug));
    w->Field("taxonomy", "signpost-categories");
    w->Field("term", slug);
    w->EndObject();
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

}  // namespace

std::string StableUuid(std::string_view key) { return std::string(StableUuidOf({key}).view()); }

namespace {

// The export in pieces of at most about kPieceBytes, in order, to `sink`:
// at 10,000 services it is tens of MB, so it is streamed to its file rather
// than held whole.
constexpr size_t kPieceBytes = 256 * 1024;

template <typename Sink, typename WritePart>
void EmitOpenData(const Catalogue& catalogue, Sink&& sink, WritePart&& write_part) {
  size_t n = 0;
  for (const Service& s : catalogue.services) n += s.IsPublished();
  JsonWriter w(kPieceBytes + 16 * 1024);
  w.BeginObject();
  w.Field("total_items", static_cast<long long>(n));
  w.Field("total_pages", 1LL);
  w.Field("page_number", 1LL);
  w.Field("size", static_cast<long long>(n));
  w.Field("first_page", true);
  w.Field("last_page", true);
  w.Field("empty", n == 0);
  w.Key("contents");
  w.BeginArray();
  // One service per line keeps diffs of the export readable.
  bool first = true;
  for (const Service& s : catalogue.services) {
    if (!s.IsPublished()) continue;
    w.Raw(first ? "\n" : ",\n");
    first = false;
    write_part(s, &w);
    // Between services: each starts its own line, so no separator is lost.
    if (w.View().size() >= kPieceBytes) {
      sink(w.View());
      w.Clear();
    }
  }
  w.Raw("\n]}\n");
  sink(w.View());
}

}  // namespace

std::string OpenDataJson(const Catalogue& catalogue) {
  std::string out;
  EmitOpenData(
      catalogue, [&out](std::string_view piece) { out.append(piece); },
      [&catalogue](const Service& s, JsonWriter* w) { WriteService(catalogue, s, w); });
  return out;
}

void OpenDataMemo::Commit() {
  // A build that kept the whole file (its key unchanged, see render.cc)
  // made no parts: the previous ones still describe the file.
  if (!made_) return;
  parts_ = std::move(next_parts_);
  next_parts_.clear();
  file_key_ = next_file_key_;
  made_ = false;
}

void OpenDataMemo::Discard() {
  next_parts_.clear();
  made_ = false;
}

bool WriteOpenData(const Catalogue& catalogue, SiteWriter* writer, Diagnostics* diags,
                   OpenDataMemo* memo) {
  const std::string rel = "data/services.json";
  if (memo != nullptr) {
    // Each service's part is reused while its entry and the taxonomy (names
    // of areas and categories) are unchanged; the file is kept when every
    // part's text is.
    memo->made_ = true;
    memo->next_parts_.clear();
    memo->next_parts_.reserve(catalogue.services.size());
    uint64_t file_key = XXH3_64bits_withSeed("oruk", 4, catalogue.services.size());
    JsonWriter part_writer(8 * 1024);
    for (const Service& s : catalogue.services) {
      if (!s.IsPublished()) continue;
      OpenDataMemo::Part part;
      auto old = memo->parts_.find(s.slug);
      if (old != memo->parts_.end() && old->second.source_hash == s.source_hash &&
          old->second.taxonomy_hash == catalogue.taxonomy.source_hash) {
        part = std::move(old->second);
      } else {
        part_writer.Clear();
        WriteService(catalogue, s, &part_writer);
        part.text.assign(part_writer.View());
        part.source_hash = s.source_hash;
        part.taxonomy_hash = catalogue.taxonomy.source_hash;
        part.text_hash = XXH3_64bits(part.text.data(), part.text.size());
      }
      file_key = XXH3_64bits_withSeed(&part.text_hash, sizeof part.text_hash, file_key);
      memo->next_parts_.emplace(s.slug, std::move(part));
    }
    memo->next_file_key_ = file_key;
    if (file_key == memo->file_key_ && writer->Keep(rel)) return true;
    std::unique_ptr<OutputStream> file = writer->OpenStream(rel, diags);
    if (!file) return false;
    EmitOpenData(
        catalogue, [&file](std::string_view piece) { file->Append(piece); },
        [memo](const Service& s, JsonWriter* w) { w->Raw(memo->next_parts_.at(s.slug).text); });
    return file->Close(diags);
  }
  std::unique_ptr<OutputStream> file = writer->OpenStream(rel, diags);
  if (!file) return false;
  EmitOpenData(
      catalogue, [&file](std::string_view piece) { file->Append(piece); },
      [&catalogue](const Service& s, JsonWriter* w) { WriteService(catalogue, s, w); });
  return file->Close(diags);
}

}  // namespace signpost
