package io.tsync.pull;

import io.tsync.exec.RunLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One pull at a time per state directory: a second pull (the timer and an operator's) waits for the
 * first, at most --lock-timeout, then gives up naming it, as a run waits for the run lock
 * ({@link RunLock}), whose owner format it writes. The kernel drops the lock with its process, so it
 * cannot go stale. The apply inside a pull still takes the host's run lock against pushed runs.
 */
public final class PullLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private PullLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static PullLock acquire(Path stateDir, RunLock.Owner me, Duration wait, Consumer<RunLock.Owner> waiting) throws PullException {
        Path owner = stateDir.resolve("owner");
        try {
            Files.createDirectories(stateDir);
            FileChannel ch = FileChannel.open(stateDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + wait.toNanos();
            boolean told = false;
            while (true) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException sameProcess) {
                    l = null;
                }
                if (l != null) {
                    Path tmp = stateDir.resolve("owner.new");
                    Files.writeString(tmp, me.file());
                    Files.move(tmp, owner, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    return new PullLock(ch, l);
                }
                RunLock.Owner holder = RunLock.Owner.parse(Files.exists(owner) ? Files.readString(owner) : "");
                if (System.nanoTime() >= deadline) {
                    ch.close();
                    throw new PullException(PullException.Kind.FAILED, "pull lock held by " + holder.describe()
                            + (wait.isZero() ? "" : " for more than " + wait.toSeconds() + " s (--lock-timeout)")
                            + ": another tsync pull is running here; nothing was changed; the next run tries again");
                }
                if (!told) {
                    waiting.accept(holder);
                    told = true;
                }
                Thread.sleep(500);
            }
        } catch (IOException e) {
            throw new PullException(PullException.Kind.FAILED, "cannot take the pull lock in " + stateDir + ": " + e.getMessage()
                    + "\n  fix: run tsync pull as root");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullException(PullException.Kind.FAILED, "interrupted while waiting for the pull lock");
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // closing the channel (or the process ending) drops the lock anyway
        }
    }
}
