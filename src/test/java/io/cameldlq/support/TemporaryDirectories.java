package io.cameldlq.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temporary directories that outlive a single test, such as a dead-letter log directory that a restarted
 * pipeline reuses. They are deleted with their contents when the test JVM exits, so repeated test runs do
 * not fill the temporary file system.
 */
public final class TemporaryDirectories {

    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(TemporaryDirectories::delete),
                "temporary-directory-cleanup"));
    }

    private TemporaryDirectories() {
    }

    /** Creates a directory in the default temporary directory that is deleted when the JVM exits. */
    public static Path create(String prefix) {
        Path directory = createUntracked(prefix);
        CREATED.add(directory);
        return directory;
    }

    /**
     * Creates a directory that the caller deletes with {@link #delete}, for example once the broker that
     * writes to it has stopped, because shutdown hooks run in no fixed order.
     */
    public static Path createUntracked(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the directory and its contents. Files that cannot be deleted are left in place. */
    public static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not delete temporary directory " + directory + ": " + e.getMessage());
        }
    }
}
