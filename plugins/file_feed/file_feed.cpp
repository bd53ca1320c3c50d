// file_feed — a reos source plugin that reads listing files: CSV (RFC 4180, header row) or
// JSON Lines, from a local path or an HTTP(S) URL (read by byte ranges). See README.md.
#include <reos/plugin.hpp>

#include "feed_reader.hpp"
#include "http_source.hpp"

namespace file_feed {

/// One source per tenant connector; holds only its settings.
class FileFeed : public reos::Plugin {
 public:
  /// settings: {path (required), format: csv|jsonl (default: from the file name, else csv),
  /// batch_size (default 2500), base_dir (optional: relative paths resolve against it)}.
  /// Or url (http:// or https://) instead of path, with chunk_bytes (default 1 MiB) per
  /// Range request.
  explicit FileFeed(const nlohmann::json& settings) {
    const auto path = settings.find("path");
    const auto url = settings.find("url");
    if ((path == settings.end()) == (url == settings.end()))
      throw reos::Invalid("settings: expected exactly one of path (a local file) or url");
    if (url != settings.end()) {
      if (!url->is_string() || (url->get<std::string>().rfind("http://", 0) != 0 &&
                                url->get<std::string>().rfind("https://", 0) != 0))
        throw reos::Invalid("settings.url: expected an http:// or https:// URL");
      url_ = url->get<std::string>();
      const long long chunk = settings.value("chunk_bytes", 1LL << 20);
      if (chunk < 4096 || chunk > (64LL << 20))
        throw reos::Invalid("settings.chunk_bytes: expected 4096 to 67108864, got " +
                            std::to_string(chunk));
      chunk_bytes_ = static_cast<std::size_t>(chunk);
    } else {
      if (!path->is_string() || path->get<std::string>().empty())
        throw reos::Invalid("settings.path: expected a non-empty string (the file to read)");
      path_ = path->get<std::string>();
      const std::string base = settings.value("base_dir", "");
      if (path_[0] != '/' && !base.empty()) path_ = base + "/" + path_;
    }
    const std::string name = url_.empty() ? path_ : url_.substr(0, url_.find_first_of("?#"));
    std::string format = settings.value("format", "");
    if (format.empty())
      format = name.size() > 6 && name.substr(name.size() - 6) == ".jsonl" ? "jsonl" : "csv";
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
    Page page;
    if (url_.empty()) {
      page = read_page(path_, format_, from, batch_size_);
    } else {
      HttpSource source(
          url_,
          [&call](const std::string& url, const Headers& headers) {
            reos::HttpRequest request;
            request.url = url;
            request.headers = headers;
            reos::HttpResponse response = call.http(request);
            return HttpReply{response.status, std::move(response.headers),
                             std::move(response.body)};
          },
          chunk_bytes_);
      try {
        page = read_page(source, format_, from, batch_size_);
      } catch (const TransientFeedError& e) {
        throw reos::Retry(e.what());
      }
    }
    for (const std::string& record : page.records) call.emit(nlohmann::json::parse(record));
    call.set_cursor(to_string(page.next), page.has_more);
    return reos::Result::ok();
  }

 private:
  std::string path_;
  std::string url_;
  std::size_t chunk_bytes_ = 1u << 20;
  Format format_ = Format::csv;
  std::size_t batch_size_ = 2500;
};

constexpr char kSchema[] = R"({"type":"object","properties":{
  "path":{"type":"string","minLength":1},
  "url":{"type":"string","pattern":"^https?://"},
  "chunk_bytes":{"type":"integer","minimum":4096,"maximum":67108864},
  "format":{"enum":["csv","jsonl"]},
  "batch_size":{"type":"integer","minimum":1,"maximum":100000},
  "base_dir":{"type":"string"}}})";

}  // namespace file_feed

REOS_CPP_PLUGIN(file_feed::FileFeed, "file_feed", "0.1.0",
                "CSV and JSON Lines listing files (local path or HTTP URL)", REOS_KIND_SOURCE, 0,
                file_feed::kSchema);
