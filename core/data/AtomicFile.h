#pragma once
// Crash-safe output files (issue 10, docs/file-formats.md "Output files").
//
// A result is written to a temporary file with a unique name in the target's own folder,
// flushed to disk (fsync), and renamed over the target; the old file is never deleted first,
// so a crash, a full disk or a second run writing the same name leaves either the old file or
// the new one, never none and never half of one. Temporaries of a run that fails or is
// cancelled are removed by the destructor.
//
// Target policy (decided once here, for every writer): a missing path or a regular file is
// written; a symbolic link is followed to the file it names, which is replaced in its own folder
// (the link stays a link); anything else (folder, FIFO, device such as /dev/null or a terminal,
// socket, dangling link) is refused as bad input. An output that is the same file as an input
// (compared by device and inode, so hard links and other spellings are caught) is refused too.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/Result.h"

namespace cwb {

// Device and inode of an existing file (symlinks followed); nullopt when it does not exist.
struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    bool operator==(const FileIdentity&) const = default;
};
std::optional<FileIdentity> fileIdentity(const std::string& path);

// An input an output must not overwrite: its path and what it is ("the input", "the model").
struct ProtectedInput {
    std::string path;
    std::string role;
};

// Applies the target policy to `path` and returns the path to replace (the link's target for a
// symlink). Refuses, naming the path and the reason, a target that is not a regular file or
// that is the same file as one of `inputs`.
Result<std::string> resolveOutputTarget(const std::string& path,
                                        const std::vector<ProtectedInput>& inputs = {});

class AtomicFile {
public:
    // `target` as returned by resolveOutputTarget; `shownPath` names the file in messages.
    explicit AtomicFile(std::string target, std::string shownPath = {});
    ~AtomicFile();  // removes the temporary unless committed
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    // Creates the temporary (mode of the file it replaces, else 0666 minus the umask).
    Result<void> open();
    Result<void> write(std::string_view data);
    // Flushes and fsyncs the temporary and closes it; the target is untouched.
    Result<void> finish();
    // Renames the finished temporary over the target and fsyncs the folder.
    Result<void> rename();
    // finish() then rename().
    Result<void> commit();
    // Removes the temporary (idempotent).
    void discard();

    const std::string& target() const { return m_target; }
    const std::string& temporaryPath() const { return m_temp; }

    // Commits several files as one: all are finished (written and fsynced) before the first
    // rename, so a failure while writing changes none of the targets; then they are renamed in
    // order, the last one being the one whose presence says the run completed.
    static Result<void> commitTogether(const std::vector<AtomicFile*>& files);

private:
    std::string m_target;
    std::string m_shown;
    std::string m_temp;
    int m_fd = -1;
    std::string m_buffer;
    bool m_committed = false;
    std::uint64_t m_written = 0;        // bytes handed to the kernel
    std::uint64_t m_writeBackFrom = 0;  // first byte not yet sent to write-back
    Result<void> flushBuffer();
    void startWriteBack();
};

// Copies source to path through an AtomicFile (exports of a finished run's files); refuses a
// path that is the source itself.
Result<void> copyFileAtomically(const std::string& source, const std::string& path);

}  // namespace cwb
