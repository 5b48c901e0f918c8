#include "data/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cwb {

namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;
constexpr std::uint64_t kWriteBackBytes = std::uint64_t{8} << 20;

std::string quoted(const std::string& path) {
    return "'" + path + "'";
}

std::string systemError() {
    return std::strerror(errno);
}

const char* kindOf(mode_t mode) {
    if (S_ISDIR(mode)) return "a folder";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

std::string folderOf(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string nameOf(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Writes all of data to fd, retrying short writes and EINTR.
bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

std::optional<FileIdentity> fileIdentity(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileIdentity{static_cast<std::uint64_t>(st.st_dev),
                        static_cast<std::uint64_t>(st.st_ino)};
}

Result<std::string> resolveOutputTarget(const std::string& path,
                                        const std::vector<ProtectedInput>& inputs) {
    if (path.empty()) return Error::badInput("no output file given");
    std::string target = path;
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode)) {
            // Written through: the file the link names is replaced, the link is kept.
            char resolved[PATH_MAX];
            if (!::realpath(path.c_str(), resolved) || ::stat(resolved, &st) != 0)
                return Error::badInput(quoted(path) +
                                       " is a symbolic link to a file that does not exist; give "
                                       "the real path of the output file");
            target = resolved;
        }
        if (!S_ISREG(st.st_mode))
            return Error::badInput(quoted(path) + " is " + kindOf(st.st_mode) +
                                   "; results are written only to regular files, which are "
                                   "replaced atomically");
    } else if (errno != ENOENT) {
        return Error::badInput("cannot write " + quoted(path) + ": " + systemError());
    }
    if (const auto out = fileIdentity(target)) {
        for (const ProtectedInput& input : inputs) {
            if (input.path.empty()) continue;
            if (fileIdentity(input.path) == out)
                return Error::badInput("the output " + quoted(path) + " is the same file as " +
                                       input.role + " " + quoted(input.path) +
                                       "; writing it would destroy " + input.role);
        }
    }
    return target;
}

AtomicFile::AtomicFile(std::string target, std::string shownPath)
    : m_target(std::move(target)), m_shown(shownPath.empty() ? m_target : std::move(shownPath)) {}

AtomicFile::~AtomicFile() {
    discard();
}

Result<void> AtomicFile::open() {
    discard();
    m_committed = false;
    std::string pattern = folderOf(m_target) + "/." + nameOf(m_target) + ".cwb-XXXXXX";
    m_fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (m_fd < 0) return Error::badInput("cannot write " + quoted(m_shown) + ": " + systemError());
    m_temp = pattern;
    // mkstemp makes 0600; the result gets the mode of the file it replaces, or what a plain
    // create would give.
    mode_t mode = 0;
    struct stat st {};
    if (::stat(m_target.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
    } else {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        mode = 0666 & ~mask;
    }
    ::fchmod(m_fd, mode);
    m_buffer.reserve(kBufferBytes);
    m_written = m_writeBackFrom = 0;
    return {};
}

Result<void> AtomicFile::flushBuffer() {
    if (m_buffer.empty()) return {};
    if (!writeAll(m_fd, m_buffer.data(), m_buffer.size()))
        return Error::failure("cannot write " + quoted(m_shown) + ": " + systemError());
    m_written += m_buffer.size();
    m_buffer.clear();
    startWriteBack();
    return {};
}

void AtomicFile::startWriteBack() {
    // Write-behind: ask the kernel to start writing what is complete without waiting for it, so
    // the fsync at the end waits for the last few MiB only, not for the whole file.
    if (m_written - m_writeBackFrom < kWriteBackBytes) return;
    ::sync_file_range(m_fd, static_cast<off64_t>(m_writeBackFrom),
                      static_cast<off64_t>(m_written - m_writeBackFrom), SYNC_FILE_RANGE_WRITE);
    m_writeBackFrom = m_written;
}

Result<void> AtomicFile::write(std::string_view data) {
    if (m_fd < 0) return Error::failure("cannot write " + quoted(m_shown) + ": not open");
    if (m_buffer.size() + data.size() > kBufferBytes) {
        if (auto r = flushBuffer(); !r) return r;
        if (data.size() >= kBufferBytes) {
            if (!writeAll(m_fd, data.data(), data.size()))
                return Error::failure("cannot write " + quoted(m_shown) + ": " + systemError());
            m_written += data.size();
            startWriteBack();
            return {};
        }
    }
    m_buffer.append(data);
    return {};
}

Result<void> AtomicFile::finish() {
    if (m_fd < 0) {
        if (m_temp.empty()) return Error::failure("cannot write " + quoted(m_shown) + ": not open");
        return {};  // already finished
    }
    if (auto r = flushBuffer(); !r) return r;
    if (::fdatasync(m_fd) != 0)
        return Error::failure("cannot write " + quoted(m_shown) + ": " + systemError());
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0)
        return Error::failure("cannot write " + quoted(m_shown) + ": " + systemError());
    return {};
}

Result<void> AtomicFile::rename() {
    if (m_temp.empty() || m_fd >= 0) return Error::failure("cannot write " + quoted(m_shown));
    // rename(2) replaces the target in one step: readers see the old file or the new one.
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0)
        return Error::failure("cannot replace " + quoted(m_shown) + ": " + systemError());
    m_committed = true;
    m_temp.clear();
    // The rename itself is durable only once the folder is synced.
    const int dir = ::open(folderOf(m_target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

Result<void> AtomicFile::commit() {
    if (auto r = finish(); !r) return r;
    return rename();
}

void AtomicFile::discard() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    m_buffer.clear();
    if (!m_committed && !m_temp.empty()) ::unlink(m_temp.c_str());
    m_temp.clear();
}

Result<void> AtomicFile::commitTogether(const std::vector<AtomicFile*>& files) {
    for (AtomicFile* f : files)
        if (auto r = f->finish(); !r) return r;
    for (AtomicFile* f : files)
        if (auto r = f->rename(); !r) return r;
    return {};
}

Result<void> copyFileAtomically(const std::string& source, const std::string& path) {
    auto target = resolveOutputTarget(path, {{source, "the file being copied"}});
    if (!target) return target.error();
    const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return Error::badInput("cannot read " + quoted(source) + ": " + systemError());
    AtomicFile out(*target, path);
    Result<void> result = out.open();
    std::string block(kBufferBytes, '\0');
    while (result) {
        const ssize_t n = ::read(in, block.data(), block.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            result = Error::failure("cannot read " + quoted(source) + ": " + systemError());
            break;
        }
        if (n == 0) break;
        result = out.write(std::string_view(block.data(), static_cast<std::size_t>(n)));
    }
    ::close(in);
    if (!result) return result;
    return out.commit();
}

}  // namespace cwb
