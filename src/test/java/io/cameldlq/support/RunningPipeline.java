package io.cameldlq.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.main.Main;

import io.cameldlq.CamelDlqApplication;

/**
 * The pipeline as {@link CamelDlqApplication} builds it, running in the test JVM against the test broker
 * with its own topics, groups and log directory.
 */
public final class RunningPipeline implements AutoCloseable {

    public final String sourceTopic;
    public final String deadLetterTopic;
    public final String sourceGroup;
    public final String logGroup;
    public final Path logDirectory;
    public final RecordingTaskProcessor processor = new RecordingTaskProcessor();

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private String profile;
    private Main main;

    public RunningPipeline() {
        this(KafkaTestClient.uniqueName("tasks"), KafkaTestClient.uniqueName("dead-letters"),
                KafkaTestClient.uniqueName("task-group"), KafkaTestClient.uniqueName("log-group"),
                TemporaryDirectories.create("camel-dlq-log"));
    }

    /**
     * Creates a pipeline with the topics, groups and log directory of {@code previous}, as the next start of
     * the same application; properties set with {@link #with} are not carried over.
     */
    public RunningPipeline(RunningPipeline previous) {
        this(previous.sourceTopic, previous.deadLetterTopic, previous.sourceGroup, previous.logGroup,
                previous.logDirectory);
    }

    private RunningPipeline(String sourceTopic, String deadLetterTopic, String sourceGroup, String logGroup,
            Path logDirectory) {
        this.sourceTopic = sourceTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.sourceGroup = sourceGroup;
        this.logGroup = logGroup;
        this.logDirectory = logDirectory;
        properties.put("camel.component.kafka.brokers", TestBroker.bootstrapServers());
        properties.put("task-processing.topic", sourceTopic);
        properties.put("task-processing.group-id", sourceGroup);
        properties.put("task-processing.processor", "recordingTaskProcessor");
        properties.put("dead-letter.topic", deadLetterTopic);
        properties.put("dead-letter-log.group-id", logGroup);
        properties.put("dead-letter-log.directory", logDirectory.toString());
        properties.put("camel.main.shutdown-timeout", "10");
        // Several applications run at once, so the management server gets a free port on loopback.
        properties.put("camel.management.port", "0");
        properties.put("camel.management.host", "127.0.0.1");
    }

    /** Sets a property that overrides application.properties; call before {@link #start}. */
    public RunningPipeline with(String key, String value) {
        properties.put(key, value);
        return this;
    }

    /** Removes a property set by default or with {@link #with}; call before {@link #start}. */
    public RunningPipeline without(String key) {
        properties.remove(key);
        return this;
    }

    /** Binds a bean in the registry, e.g. a task processor to name in a property; call before {@link #start}. */
    public RunningPipeline bind(String name, Object bean) {
        beans.put(name, bean);
        return this;
    }

    /** Runs with a Camel Main profile such as {@code dev}, instead of the default {@code prod}. */
    public RunningPipeline profile(String name) {
        profile = name;
        return this;
    }

    public RunningPipeline start() {
        main = CamelDlqApplication.createMain();
        if (profile != null) {
            main.configure().withProfile(profile);
        }
        properties.forEach(main::addOverrideProperty);
        main.bind("recordingTaskProcessor", processor);
        beans.forEach(main::bind);
        main.start();
        return this;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Returns the Kafka endpoints that publish to {@code topic}: those of the topic that no route consumes. */
    public List<KafkaEndpoint> producerEndpoints(String topic) {
        Set<Endpoint> consumed = new HashSet<>();
        context().getRoutes().forEach(route -> consumed.add(route.getEndpoint()));
        return context().getEndpoints().stream()
                .filter(KafkaEndpoint.class::isInstance)
                .map(KafkaEndpoint.class::cast)
                .filter(endpoint -> topic.equals(endpoint.getConfiguration().getTopic()))
                .filter(endpoint -> !consumed.contains(endpoint))
                .toList();
    }

    public Path logFile() {
        return logDirectory.resolve("dead_letter_log.txt");
    }

    /** Returns the lines of the dead-letter log, or none while it does not exist. */
    public List<String> logLines() throws IOException {
        if (!Files.exists(logFile())) {
            return List.of();
        }
        return Files.readAllLines(logFile(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (main != null) {
            main.stop();
        }
    }
}
