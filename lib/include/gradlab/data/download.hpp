#pragma once
// Fetching a file from a list of mirrors and keeping it only if its MD5 matches. libcurl does the
// transfer (http, https and file:// URLs, so tests can serve files from a local folder); OpenSSL
// computes the MD5. The file is written atomically: a failed or rejected download leaves nothing
// behind in the target folder.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace gradlab::data {

// A file to fetch: its name (appended to a mirror's URL) and the MD5 of its bytes (32 hex digits).
struct RemoteFile {
  std::string name;
  std::string md5;
};

// The MD5 of bytes as 32 lowercase hex digits.
std::string md5_hex(std::string_view bytes);

// The bytes at url (http, https or file). Throws std::runtime_error naming the url and
// libcurl's reason (HTTP errors such as 404 included).
std::string fetch_url(const std::string& url);

// Tries mirror + file.name for each mirror in turn; the first download whose MD5 matches is
// written to folder / file.name (folder created when missing) and its path returned. A mirror
// is a URL prefix ending in '/'. When no mirror gives the right bytes, throws
// std::runtime_error listing every attempt and why it failed, and writes nothing.
// Progress lines go to *log when log is not null.
std::filesystem::path download_verified(const RemoteFile& file,
                                        const std::vector<std::string>& mirrors,
                                        const std::filesystem::path& folder,
                                        std::ostream* log = nullptr);

}  // namespace gradlab::data
