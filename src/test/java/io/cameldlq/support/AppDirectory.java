package io.cameldlq.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A working directory for an application process: the project's routes, an application.properties with
 * unique topics and groups, and the dead-letter log it writes.
 */
public final class AppDirectory {

    public final Path path;
    public final String sourceTopic = KafkaTestClient.uniqueName("app-tasks");
    public final String deadLetterTopic = KafkaTestClient.uniqueName("app-dead-letters");
    public final String sourceGroup = KafkaTestClient.uniqueName("app-task-group");
    public final String logGroup = KafkaTestClient.uniqueName("app-log-group");
    private final Map<String, String> properties = new LinkedHashMap<>();

    public AppDirectory(Path path) {
        this.path = path;
        properties.put("task-processing.topic", sourceTopic);
        properties.put("task-processing.group-id", sourceGroup);
        properties.put("dead-letter.topic", deadLetterTopic);
        properties.put("dead-letter-log.group-id", logGroup);
        properties.put("camel.main.shutdown-timeout", "10");
        // Several applications run at once, so the management server gets a free port on loopback.
        properties.put("camel.management.port", "0");
        properties.put("camel.management.host", "127.0.0.1");
    }

    /** Sets a key of application.properties; call before {@link #write}. */
    public AppDirectory with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Writes routes/ and application.properties with {@code brokers} as the broker list. */
    public AppDirectory write(String brokers) throws IOException {
        writeRoutes();
        return writeProperties(brokers);
    }

    /** Copies the project's routes/ into this directory. */
    public AppDirectory writeRoutes() throws IOException {
        Path routes = Files.createDirectories(path.resolve("routes"));
        Files.copy(JarProcess.projectDirectory().resolve("routes/dead-letter-log.camel.yaml"),
                routes.resolve("dead-letter-log.camel.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    /** Writes application.properties with {@code brokers} as the broker list and the keys set so far. */
    public AppDirectory writeProperties(String brokers) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("camel.component.kafka.brokers = " + brokers);
        properties.forEach((key, value) -> lines.add(key + " = " + value));
        lines.add("");
        Files.writeString(path.resolve("application.properties"), String.join("\n", lines));
        return this;
    }

    public Path logFile() {
        return path.resolve("dead_letter_log.txt");
    }

    public List<String> logLines() throws IOException {
        return Files.exists(logFile()) ? Files.readAllLines(logFile(), StandardCharsets.UTF_8) : List.of();
    }
}
