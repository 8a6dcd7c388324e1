// A SQLite VFS shim for fault injection: every file SQLite opens goes through the default VFS
// ("unix"), except that writes, syncs and lock acquisition fail while the plan says so.
// Installed as the default VFS, so a Database opened afterwards (any connection, any thread)
// sees the faults without a change to production code. The model is SQLite's own test VFS:
// storage failures are tested by making the storage fail, not by mocking the caller.
//
//   fault::install();
//   fault::plan().full = true;          // every write: SQLITE_FULL (a full disk)
//   ... the lesson goes on, answers wait ...
//   fault::plan().full = false;         // space is back: the next try commits them
//
// Counters say how many writes/syncs/locks were seen and failed, so a test can check the
// fault was really hit.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace cardpoll::fault {

struct Plan {
  std::atomic<bool> full{false};        // xWrite / xTruncate -> SQLITE_FULL
  std::atomic<bool> write_error{false}; // xWrite -> SQLITE_IOERR_WRITE
  std::atomic<bool> sync_error{false};  // xSync -> SQLITE_IOERR_FSYNC
  std::atomic<bool> lock_busy{false};   // taking a write lock (xLock >= RESERVED, WAL write
                                        // lock in xShmLock) -> SQLITE_BUSY, as if another
                                        // connection held it
  // Fail the write that is number `fail_write_at` from now (counting from 1), once; 0: off.
  std::atomic<int64_t> fail_write_at{0};
  std::atomic<int64_t> writes{0}, syncs{0}, failed_writes{0}, failed_syncs{0}, refused_locks{0};
  // Which thread touches the disk: writes, syncs and write-lock requests (tried or refused)
  // made by `watched` are counted in watched_io (a test watches the live view's thread to
  // show it never commits). No thread is watched by default.
  std::atomic<std::thread::id> watched{};
  std::atomic<int64_t> watched_io{0};

  void clear() {
    full = false;
    write_error = false;
    sync_error = false;
    lock_busy = false;
    fail_write_at = 0;
    writes = 0;
    syncs = 0;
    failed_writes = 0;
    failed_syncs = 0;
    refused_locks = 0;
    watched = std::thread::id();
    watched_io = 0;
  }
};

// Registers the shim as SQLite's default VFS (idempotent, thread-safe).
void install();
Plan& plan();

}  // namespace cardpoll::fault
