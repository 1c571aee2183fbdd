#include "gradlab/data/download.hpp"

#include "gradlab/io/files.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <cctype>
#include <cstdio>
#include <memory>
#include <mutex>
#include <ostream>
#include <stdexcept>

namespace gradlab::data {
namespace {

// Give up on a mirror that does not answer within this time, or that trickles along below
// 1 KB/s for a minute: a student's run should fail with a clear message, not hang.
constexpr long connect_timeout_seconds = 20;
constexpr long low_speed_bytes_per_second = 1024;
constexpr long low_speed_seconds = 60;

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

void initialise_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("fetch_url: libcurl failed to initialise");
  });
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string md5_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("md5_hex: OpenSSL could not compute an MD5");
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char pair[3];
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

std::string fetch_url(const std::string& url) {
  initialise_curl_once();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw std::runtime_error(url + ": libcurl could not start a transfer");
  std::string body;
  char error[CURL_ERROR_SIZE] = "";
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);  // a 404 page is an error, not the file
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, connect_timeout_seconds);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, low_speed_bytes_per_second);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, low_speed_seconds);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "gradlab");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  const CURLcode status = curl_easy_perform(c);
  if (status != CURLE_OK)
    throw std::runtime_error(url + ": " + (error[0] ? error : curl_easy_strerror(status)));
  return body;
}

std::filesystem::path download_verified(const RemoteFile& file,
                                        const std::vector<std::string>& mirrors,
                                        const std::filesystem::path& folder, std::ostream* log) {
  std::string failures;
  for (const std::string& mirror : mirrors) {
    const std::string url = mirror + file.name;
    if (log) *log << "downloading " << url << '\n' << std::flush;
    std::string bytes, reason;
    try {
      bytes = fetch_url(url);
    } catch (const std::runtime_error& e) {
      reason = e.what();
    }
    if (reason.empty()) {
      const std::string md5 = md5_hex(bytes);
      if (md5 == lowercase(file.md5)) {
        // A write failure (a read-only folder) is not the mirror's fault: it propagates.
        const std::filesystem::path target = folder / file.name;
        io::write_file_atomically(target, bytes);
        if (log) *log << "saved " << target.string() << " (" << bytes.size() << " bytes, MD5 ok)\n";
        return target;
      }
      reason = url + ": MD5 is " + md5 + " but " + file.md5 + " was expected";
    }
    if (log) *log << "  failed: " << reason << '\n';
    failures += (failures.empty() ? "" : "; ") + reason;
  }
  if (mirrors.empty()) failures = "no mirror to download from";
  throw std::runtime_error("cannot download " + file.name + ": " + failures);
}

}  // namespace gradlab::data
