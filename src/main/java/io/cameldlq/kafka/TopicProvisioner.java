package io.cameldlq.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the pipeline's topics with the Admin API when they are missing, so the application also runs on
 * brokers with {@code auto.create.topics.enable=false}. Existing topics are left as they are.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final long METADATA_RETRY_MS = 200;

    private final Admin admin;
    private final long timeoutMs;
    /** Topics that {@link #ensureTopics} found or created, which exist even while the metadata lags behind. */
    private final Set<String> ensured = new HashSet<>();

    public TopicProvisioner(Admin admin, long timeoutMs) {
        this.admin = admin;
        this.timeoutMs = timeoutMs;
    }

    /**
     * Creates each missing topic with the given partitions and replication factor; logs a WARN for an
     * existing topic whose partition count differs.
     *
     * @throws IllegalStateException if the broker does not respond within the timeout or rejects a creation
     */
    public void ensureTopics(Collection<String> topics, int partitions, short replicationFactor) {
        Set<String> existing = call(admin.listTopics().names(), "list topics");
        for (String topic : topics) {
            if (existing.contains(topic)) {
                checkPartitions(topic, partitions);
            } else {
                create(topic, partitions, replicationFactor);
            }
            ensured.add(topic);
        }
    }

    /**
     * Returns the partition count of {@code topic}, or empty if it does not exist (yet), e.g. a
     * dead-letter topic that is created later by hand.
     */
    public Optional<Integer> partitionCount(String topic) {
        Optional<Integer> partitions = existingPartitions(topic);
        if (partitions.isEmpty()) {
            LOG.warn("Topic {} does not exist; dead letters are partitioned by key until the next start", topic);
        }
        return partitions;
    }

    /**
     * Logs a WARN when {@code consumers} consumers of one instance share {@code topic} and it has fewer
     * partitions: Kafka gives each partition to one consumer of a group, so the others stay idle. Does
     * nothing for a topic that does not exist.
     */
    public void warnIfConsumersIdle(String topic, int consumers) {
        if (consumers <= 1) {
            return;
        }
        Optional<Integer> partitions = existingPartitions(topic);
        if (partitions.isEmpty() || partitions.get() >= consumers) {
            return;
        }
        int idle = consumers - partitions.get();
        String idleConsumers = idle == 1 ? "1 consumer gets no partition and stays"
                : idle + " consumers get no partition and stay";
        LOG.warn("task-processing.consumers is {}, but topic {} has {}, so {} idle. Lower task-processing.consumers "
                + "or add partitions", consumers, topic, count(partitions.get()), idleConsumers);
    }

    /**
     * Returns the partition count of {@code topic}, or empty if it does not exist. A topic that
     * {@link #ensureTopics} found or created exists, so it is described again while the broker does not know it
     * yet, as right after its creation.
     */
    private Optional<Integer> existingPartitions(String topic) {
        if (ensured.contains(topic)) {
            return Optional.of(describe(topic).partitions().size());
        }
        try {
            Map<String, TopicDescription> descriptions = call(admin.describeTopics(Set.of(topic)).allTopicNames(),
                    "describe topic " + topic);
            return Optional.of(descriptions.get(topic).partitions().size());
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Logs a WARN when {@code deadLetterTopic} deletes records sooner than {@code sourceTopic}: after an
     * incident, the dead letters could be gone before the cause is fixed and they are redriven. Does nothing
     * when a topic is missing or its configuration cannot be read.
     */
    public void warnIfRetainedShorter(String deadLetterTopic, String sourceTopic) {
        Map<String, Long> retention;
        try {
            retention = retentionMs(Set.of(deadLetterTopic, sourceTopic));
        } catch (IllegalStateException e) {
            LOG.debug("Cannot compare the retention of topics {} and {}: {}", deadLetterTopic, sourceTopic,
                    e.getMessage());
            return;
        }
        Long deadLetters = retention.get(deadLetterTopic);
        Long source = retention.get(sourceTopic);
        if (deadLetters == null || source == null || deadLetters < 0) {
            return;
        }
        if (source < 0 || deadLetters < source) {
            LOG.warn("Dead-letter topic {} keeps records for {} ({}={}), less than topic {} ({}); dead letters may "
                    + "be deleted before they are redriven. Raise {} of {}", deadLetterTopic, describe(deadLetters),
                    TopicConfig.RETENTION_MS_CONFIG, deadLetters, sourceTopic, describe(source),
                    TopicConfig.RETENTION_MS_CONFIG, deadLetterTopic);
        }
    }

    /** Returns {@code retention.ms} of each topic that exists; -1 means records are kept forever. */
    private Map<String, Long> retentionMs(Set<String> topics) {
        Set<ConfigResource> resources = new java.util.HashSet<>();
        topics.forEach(topic -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topic)));
        Map<ConfigResource, Config> configs = call(admin.describeConfigs(resources).all(), "describe topic configs");
        Map<String, Long> retention = new java.util.HashMap<>();
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
            if (entry != null && entry.value() != null) {
                retention.put(resource.name(), Long.parseLong(entry.value()));
            }
        });
        return retention;
    }

    private static String describe(long retentionMs) {
        if (retentionMs < 0) {
            return "forever";
        }
        Duration duration = Duration.ofMillis(retentionMs);
        if (duration.toDays() > 0 && duration.equals(Duration.ofDays(duration.toDays()))) {
            return duration.toDays() + (duration.toDays() == 1 ? " day" : " days");
        }
        // For example 12h or 1h30m.
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private void create(String topic, int partitions, short replicationFactor) {
        try {
            call(admin.createTopics(Set.of(new NewTopic(topic, partitions, replicationFactor))).all(),
                    "create topic " + topic);
            LOG.info("Created topic {} with {} and replication factor {}", topic, count(partitions),
                    replicationFactor);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof TopicExistsException) {
                // Another instance created it between the listing and the creation.
                checkPartitions(topic, partitions);
            } else {
                throw e;
            }
        }
    }

    private void checkPartitions(String topic, int partitions) {
        int actual = describe(topic).partitions().size();
        if (actual != partitions) {
            LOG.warn("Topic {} exists with {}, not the configured {}; it is left unchanged, so it is consumed "
                    + "with {}", topic, count(actual), partitions, count(actual));
        } else {
            LOG.info("Topic {} exists with {}", topic, count(actual));
        }
    }

    /** Returns {@code "1 partition"} or, for another count, {@code "N partitions"}. */
    private static String count(int partitions) {
        return partitions == 1 ? "1 partition" : partitions + " partitions";
    }

    /**
     * Describes {@code topic}, waiting while the broker does not know it yet: a topic that another instance
     * just created takes a moment to reach every broker's metadata.
     */
    private TopicDescription describe(String topic) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = call(admin.describeTopics(Set.of(topic)).allTopicNames(),
                        "describe topic " + topic);
                return descriptions.get(topic);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.debug("Topic {} is not known to the broker yet; describing it again", topic);
                sleep(METADATA_RETRY_MS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for topic metadata", e);
        }
    }

    private <T> T call(org.apache.kafka.common.KafkaFuture<T> future, String action) {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + timeoutMs + " ms trying to " + action, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Failed to " + action + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + action, e);
        }
    }
}
