package io.cameldlq.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar target/camel-dlq.jar}, started as a separate process in a working directory of its own. */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private JarProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Returns the packaged jar, built by {@code mvn package} before the integration tests run. */
    public static Path jar() {
        return Path.of(System.getProperty("camel-dlq.jar", "target/camel-dlq.jar")).toAbsolutePath();
    }

    /** Returns the repository's top-level directory, which contains routes/ and application.properties. */
    public static Path projectDirectory() {
        return Path.of(System.getProperty("camel-dlq.basedir", ".")).toAbsolutePath();
    }

    public static JarProcess start(Path workingDirectory, Map<String, String> environment, List<String> jvmOptions,
            String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return start(workingDirectory, environment, command);
    }

    /**
     * Starts the application from the jar with the test classes on the class path too, so that its
     * configuration can name test beans such as {@link BlockingTaskProcessor}.
     */
    public static JarProcess startWithTestClasses(Path workingDirectory, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(jar() + java.io.File.pathSeparator + projectDirectory().resolve("target/test-classes"));
        command.add("io.cameldlq.CamelDlqApplication");
        return start(workingDirectory, Map.of(), command);
    }

    private static JarProcess start(Path workingDirectory, Map<String, String> environment, List<String> command)
            throws IOException {
        // Kept under target/ so that a failed test's process output can be read afterwards.
        Path outputDirectory = Files.createDirectories(projectDirectory().resolve("target/app-processes"));
        Path output = Files.createTempFile(outputDirectory, "process-", ".log");
        // Vert.x makes a cache directory in the temporary directory and deletes it only at a clean stop, so a
        // process killed with SIGKILL would leave one in /tmp.
        Path temporaryDirectory = Files.createTempDirectory(outputDirectory, "tmp-");
        command = new ArrayList<>(command);
        command.add(1, "-Djava.io.tmpdir=" + temporaryDirectory);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().remove("CAMEL_COMPONENT_KAFKA_BROKERS");
        builder.environment().putAll(environment);
        return new JarProcess(builder.start(), output);
    }

    public String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to end and returns its exit code, or null if it still runs after the timeout. */
    public Integer waitForExit(long timeoutSeconds) throws InterruptedException {
        return process.waitFor(timeoutSeconds, TimeUnit.SECONDS) ? process.exitValue() : null;
    }

    public Process process() {
        return process;
    }

    /**
     * Runs a command of the jar against {@code deadLetterTopic} on the test broker, expects exit code 0 and
     * returns its output.
     */
    public static String runCommand(Path workingDirectory, String deadLetterTopic, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--brokers", TestBroker.bootstrapServers(), "--topic", deadLetterTopic));
        try (JarProcess process = start(workingDirectory, Map.of(), List.of(), command.toArray(String[]::new))) {
            Integer exitCode = process.waitForExit(60);
            if (exitCode == null || exitCode != 0) {
                throw new AssertionError("exit code " + exitCode + " of " + command + ":\n" + process.output());
            }
            return process.output();
        }
    }

    /** Ends the process with SIGKILL, as {@code kill -9} does: no shutdown hook, no commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
