// file_feed — a reos source plugin that reads listing files: CSV (RFC 4180, header row) or
// JSON Lines, from a local path. See README.md.
#include <reos/plugin.hpp>

#include "feed_reader.hpp"

namespace file_feed {

/// One source per tenant connector; holds only its settings.
class FileFeed : public reos::Plugin {
 public:
  /// settings: {path (required), format: csv|jsonl (default: from the file name, else csv),
  /// batch_size (default 2500), base_dir (optional: relative paths resolve against it)}.
  explicit FileFeed(const nlohmann::json& settings) {
    const auto path = settings.find("path");
    if (path == settings.end() || !path->is_string() || path->get<std::string>().empty())
      throw reos::Invalid("settings.path: expected a non-empty string (the file to read)");
    path_ = path->get<std::string>();
    const std::string base = settings.value("base_dir", "");
    if (path_[0] != '/' && !base.empty()) path_ = base + "/" + path_;
    std::string format = settings.value("format", "");
    if (format.empty())
      format = path_.size() > 6 && path_.substr(path_.size() - 6) == ".jsonl" ? "jsonl" : "csv";
    if (format == "csv") {
      format_ = Format::csv;
    } else if (format == "jsonl") {
      format_ = Format::jsonl;
    } else {
      throw reos::Invalid("settings.format: expected 'csv' or 'jsonl', got '" + format + "'");
    }
    const long long batch = settings.value("batch_size", 2500LL);
    if (batch < 1 || batch > 100000)
      throw reos::Invalid("settings.batch_size: expected 1 to 100000, got " +
                          std::to_string(batch));
    batch_size_ = static_cast<std::size_t>(batch);
  }

  /// Emits the page that starts at `cursor` and moves the cursor past it.
  reos::Result pull(reos::Call& call, std::string_view cursor) {
    Cursor from;
    try {
      from = parse_cursor(std::string(cursor));
    } catch (const std::invalid_argument& e) {
      return reos::Result::invalid(e.what());
    }
    const Page page = read_page(path_, format_, from, batch_size_);
    for (const std::string& record : page.records) call.emit(nlohmann::json::parse(record));
    call.set_cursor(to_string(page.next), page.has_more);
    return reos::Result::ok();
  }

 private:
  std::string path_;
  Format format_ = Format::csv;
  std::size_t batch_size_ = 2500;
};

constexpr char kSchema[] = R"({"type":"object","required":["path"],"properties":{
  "path":{"type":"string","minLength":1},
  "format":{"enum":["csv","jsonl"]},
  "batch_size":{"type":"integer","minimum":1,"maximum":100000},
  "base_dir":{"type":"string"}}})";

}  // namespace file_feed

REOS_CPP_PLUGIN(file_feed::FileFeed, "file_feed", "0.1.0",
                "CSV and JSON Lines listing files (local path)", REOS_KIND_SOURCE, 0,
                file_feed::kSchema);
