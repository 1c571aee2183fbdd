#pragma once
// Result files are written whole or not at all: to a temporary beside the target, then renamed
// over it, so an interrupted run leaves either the previous complete file or the new one.
#include <filesystem>
#include <string>

namespace gradlab::io {

// Writes content to path atomically, creating missing parent folders. Throws std::runtime_error
// naming the path when it cannot be written.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

// The whole content of a file. Throws std::runtime_error naming the path when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace gradlab::io
