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

    /** Returns the repository's top-level directory, which holds routes/ and application.properties. */
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
        Path output = Files.createTempFile("camel-dlq-process", ".log");
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
