package io.cameldlq.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.deadletter.DeadLetterPartitions;
import io.cameldlq.kafka.EmbeddedKafkaBroker;
import io.cameldlq.kafka.KafkaClientProperties;
import io.cameldlq.kafka.RecordSender;
import io.cameldlq.kafka.TopicProvisioner;
import io.cameldlq.metrics.CamelMetricsSetup;
import io.cameldlq.metrics.ConsumerLagMonitor;
import io.cameldlq.metrics.PipelineMetrics;
import io.cameldlq.metrics.PipelineMonitor;

/**
 * Prepares the environment between configuration and start. It picks the broker (the configured one, or
 * in the dev profile an embedded one), creates missing topics and checks that a route logs the
 * dead-letter topic. In the dev profile it also sends sample tasks once the routes run.
 */
public class ApplicationSetup extends MainListenerSupport {

    static final String BROKERS_KEY = "camel.component.kafka.brokers";

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationSetup.class);

    private final DeadLetterPartitions deadLetterPartitions;
    private final SettingSources settingSources;
    private EmbeddedKafkaBroker embeddedBroker;
    private PipelineSettings settings;
    private RetryTopicSettings retrySettings;
    private String parkingLotTopic;

    public ApplicationSetup(DeadLetterPartitions deadLetterPartitions, SettingSources settingSources) {
        this.deadLetterPartitions = deadLetterPartitions;
        this.settingSources = settingSources;
    }

    /**
     * Starts recording where each setting comes from, before anything reads one, and fails with a clear message
     * when a {@code file:} routes directory is missing, before Camel loads routes.
     */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        properties.addPropertiesLookupListener(settingSources);
        String pattern = properties.resolveProperty("camel.main.routes-include-pattern").orElse("");
        for (String location : pattern.split(",")) {
            String trimmed = location.trim();
            if (!trimmed.startsWith("file:")) {
                continue;
            }
            Path directory = Path.of(trimmed.substring("file:".length())).getParent();
            if (directory != null && !Files.isDirectory(directory)) {
                throw new InvalidSettingException("Routes directory " + directory + " not found (working directory: "
                        + Path.of("").toAbsolutePath() + "). Start the application in the directory that contains "
                        + "routes/dead-letter-log.camel.yaml, or set camel.main.routes-include-pattern.");
            }
        }
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        settings = PipelineSettings.load(context);
        retrySettings = RetryTopicSettings.load(context);
        parkingLotTopic = context.getPropertiesComponent().resolveProperty("redrive.parking-lot-topic")
                .map(String::trim).filter(topic -> !topic.isEmpty()).orElse(null);
        KafkaComponent kafka = context.getComponent("kafka", KafkaComponent.class);
        String profile = main.configure().getProfile();

        String brokers = kafka.getConfiguration().getBrokers();
        if (brokers == null || brokers.isBlank()) {
            brokers = startEmbeddedBroker(context, profile);
            kafka.getConfiguration().setBrokers(brokers);
        }
        LOG.info("Kafka brokers: {} (profile {})", brokers, profile);

        requireDeadLetterLogRoute(context);
        CamelMetricsSetup.apply(context);
        prepareTopics(brokers, kafka);
        addMonitor(context, kafka.getConfiguration());
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        boolean samples = context.getPropertiesComponent().resolveProperty("sample-tasks.enabled")
                .map(Boolean::parseBoolean).orElse(false);
        if (samples && "dev".equals(main.configure().getProfile())) {
            KafkaConfiguration configuration = context.getComponent("kafka", KafkaComponent.class).getConfiguration();
            sendSampleTasks(configuration.getBrokers(), configuration);
        }
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        closeEmbeddedBroker();
    }

    private synchronized void closeEmbeddedBroker() {
        if (embeddedBroker != null) {
            embeddedBroker.close();
            embeddedBroker = null;
        }
    }

    private String startEmbeddedBroker(CamelContext context, String profile) {
        boolean enabled = context.getPropertiesComponent().resolveProperty("embedded-broker.enabled")
                .map(Boolean::parseBoolean).orElse(false);
        if (!"dev".equals(profile) || !enabled) {
            throw new InvalidSettingException("No Kafka broker configured: set " + BROKERS_KEY
                    + " in application.properties, pass -D" + BROKERS_KEY + "=HOST:PORT, or set the environment "
                    + "variable CAMEL_COMPONENT_KAFKA_BROKERS. The embedded broker runs only in the dev profile.");
        }
        int port = context.getPropertiesComponent().resolveProperty("embedded-broker.port")
                .map(Integer::parseInt).orElse(9092);
        Path dataDirectory = Path.of(context.getPropertiesComponent()
                .resolveProperty("embedded-broker.data-directory").orElse("target/embedded-kafka"));
        embeddedBroker = EmbeddedKafkaBroker.start(port, dataDirectory, Map.of());
        // Stops with the Camel context, after its routes. Main.start() without Main.run(), as in an application
        // that embeds camel-dlq, never calls afterStop.
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    closeEmbeddedBroker();
                }
            });
        } catch (Exception e) {
            closeEmbeddedBroker();
            throw RuntimeCamelException.wrapRuntimeCamelException(e);
        }
        return embeddedBroker.bootstrapServers();
    }

    /** Adds the service that measures consumer lag and logs the periodic summary line. */
    private void addMonitor(CamelContext context, KafkaConfiguration configuration) {
        long summaryIntervalMs = 1000 * PipelineSettings.number(context.getPropertiesComponent(),
                "monitoring.summary-interval-seconds", 30, 0, 86_400);
        long lagIntervalMs = 1000 * PipelineSettings.number(context.getPropertiesComponent(),
                "monitoring.lag-interval-seconds", 10, 0, 86_400);
        Properties admin = KafkaClientProperties.forAdmin(configuration);
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "camel-dlq-lag-" + settings.instanceId());
        List<ConsumerLagMonitor.Watched> watched = new java.util.ArrayList<>();
        watched.add(new ConsumerLagMonitor.Watched(settings.sourceGroupId(), settings.sourceTopic()));
        if (retrySettings.nonBlocking()) {
            watched.add(new ConsumerLagMonitor.Watched(retrySettings.retryGroupId(), retrySettings.retryTopic()));
        }
        watched.add(new ConsumerLagMonitor.Watched(settings.logGroupId(), settings.deadLetterTopic()));
        PipelineMonitor monitor = new PipelineMonitor(context, PipelineMetrics.of(context), admin, watched,
                lagIntervalMs, summaryIntervalMs);
        try {
            context.addService(monitor);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot add the pipeline monitor: " + e.getMessage(), e);
        }
    }

    /** Creates missing topics if configured, and learns the dead-letter topic's partition count. */
    private void prepareTopics(String brokers, KafkaComponent kafka) {
        Properties properties = KafkaClientProperties.forAdmin(kafka.getConfiguration());
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        int timeoutMs = settings.brokerTimeoutMs();
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        try (Admin admin = Admin.create(properties)) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, timeoutMs);
            if (settings.provisionTopics()) {
                List<String> topics = new ArrayList<>(List.of(settings.sourceTopic(), settings.deadLetterTopic(),
                        kafkaParkingLot()));
                if (retrySettings.nonBlocking()) {
                    topics.add(retrySettings.retryTopic());
                }
                provisioner.ensureTopics(topics, settings.partitions(), settings.replicationFactor());
            }
            provisioner.partitionCount(settings.deadLetterTopic()).ifPresent(deadLetterPartitions::set);
            provisioner.warnIfConsumersIdle(settings.sourceTopic(), settings.consumers());
            provisioner.warnIfRetainedShorter(settings.deadLetterTopic(), settings.sourceTopic());
        } catch (IllegalStateException e) {
            String advice = e.getCause() instanceof AuthenticationException
                    ? "Check the security settings: camel.component.kafka.security-protocol, sasl-mechanism, "
                            + "sasl-jaas-config and the ssl-* options."
                    : e.getCause() instanceof AuthorizationException
                            ? "Grant this client's principal the ACLs to describe and create the topics, or create "
                                    + "them beforehand and set topics.provision=false."
                            : "Check " + BROKERS_KEY + " and that the broker is running.";
            throw new IllegalStateException("Kafka broker " + brokers + " is not usable (" + e.getMessage() + "). "
                    + advice, e);
        }
    }

    /** Returns the topic the {@code redrive} command parks records in that were redriven too often. */
    private String kafkaParkingLot() {
        return parkingLotTopic == null ? settings.deadLetterTopic() + "-parking-lot" : parkingLotTopic;
    }

    /**
     * Fails start-up when no route consumes the dead-letter topic, for example after the YAML route was
     * edited to read another topic, because dead letters would then pile up unlogged.
     */
    private void requireDeadLetterLogRoute(CamelContext context) {
        String expected = "kafka:" + settings.deadLetterTopic();
        for (RouteDefinition route : ((ModelCamelContext) context).getRouteDefinitions()) {
            String uri = context.resolvePropertyPlaceholders(route.getInput().getEndpointUri());
            if (uri.equals(expected) || uri.startsWith(expected + "?")) {
                return;
            }
        }
        throw new InvalidSettingException("No route consumes the dead-letter topic " + settings.deadLetterTopic()
                + ". Start the application in the directory that contains routes/dead-letter-log.camel.yaml "
                + "(working directory: " + Path.of("").toAbsolutePath() + "), or set "
                + "camel.main.routes-include-pattern to where it is.");
    }

    private void sendSampleTasks(String brokers, KafkaConfiguration kafkaConfiguration) {
        List<Header> headers = List.of(new RecordHeader("origin", utf8("sample-tasks")));
        try (RecordSender sender = new RecordSender(brokers, KafkaClientProperties.forProducer(kafkaConfiguration), 10_000)) {
            sender.send(settings.sourceTopic(), utf8("sample-1"), utf8("hello"), List.of());
            sender.send(settings.sourceTopic(), utf8("sample-2"), utf8("fail"), headers);
            sender.send(settings.sourceTopic(), utf8("sample-3"), utf8("world"), List.of());
        }
        LOG.info("Sent 3 sample tasks to topic {}: 'hello', 'fail' and 'world'. 'fail' is retried {} times, "
                + "then dead-lettered to {} and logged to the dead-letter log", settings.sourceTopic(),
                settings.maximumRedeliveries(), settings.deadLetterTopic());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
