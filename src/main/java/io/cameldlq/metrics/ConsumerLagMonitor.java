package io.cameldlq.metrics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the lag of the pipeline's consumer groups with the Admin API: for each partition of the topic a
 * group reads, the log-end offset minus the group's committed offset (minus the log-start offset while the
 * group has committed nothing there). This is the lag of committed work, so records being processed or
 * retried count as lag until their offsets are committed.
 *
 * <p>Every instance of a group reports the lag of all the group's partitions, not only its own, so
 * dashboards should take {@code max by (group, topic, partition)} over instances.
 */
public final class ConsumerLagMonitor {

    static final String LAG = "dlq.consumer.lag";

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMonitor.class);

    /** A consumer group and the topic it reads. */
    public record Watched(String group, String topic) {
    }

    private final Admin admin;
    private final MeterRegistry registry;
    private final List<Watched> watched;
    private final long timeoutMs;
    private final Map<String, AtomicLong> lagByPartition = new ConcurrentHashMap<>();
    private final Map<Watched, Long> totals = new ConcurrentHashMap<>();
    private volatile boolean lastRefreshFailed;

    public ConsumerLagMonitor(Admin admin, MeterRegistry registry, List<Watched> watched, long timeoutMs) {
        this.admin = admin;
        this.registry = registry;
        this.watched = List.copyOf(watched);
        this.timeoutMs = timeoutMs;
    }

    /**
     * Measures the lag again and updates the gauges. When the broker does not respond, the gauges keep their
     * last values and the method returns false.
     */
    public boolean refresh() {
        try {
            for (Watched entry : watched) {
                refresh(entry);
            }
            if (lastRefreshFailed) {
                LOG.info("Consumer lag is measured again");
            }
            lastRefreshFailed = false;
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (!lastRefreshFailed) {
                LOG.warn("Cannot measure consumer lag: {}. The lag metrics keep their last values until the broker "
                        + "answers again", e.getMessage() == null ? e.getClass().getName() : e.getMessage());
            }
            lastRefreshFailed = true;
            return false;
        }
    }

    /** Returns the summed lag of each watched group, as last measured; empty until the first measurement. */
    public Map<Watched, Long> totals() {
        Map<Watched, Long> ordered = new LinkedHashMap<>();
        for (Watched entry : watched) {
            Long total = totals.get(entry);
            if (total != null) {
                ordered.put(entry, total);
            }
        }
        return ordered;
    }

    /** Returns whether the last measurement failed, so the totals may be stale. */
    public boolean isStale() {
        return lastRefreshFailed;
    }

    private void refresh(Watched entry) throws Exception {
        Map<String, TopicDescription> descriptions = admin.describeTopics(Set.of(entry.topic())).allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        Set<TopicPartition> partitions = descriptions.get(entry.topic()).partitions().stream()
                .map(info -> new TopicPartition(entry.topic(), info.partition()))
                .collect(Collectors.toSet());
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(entry.group())
                .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> ends = listOffsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, ListOffsetsResultInfo> starts = null;
        long total = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata commit = committed.get(partition);
            long position;
            if (commit != null) {
                position = commit.offset();
            } else {
                if (starts == null) {
                    starts = listOffsets(partitions, OffsetSpec.earliest());
                }
                position = starts.get(partition).offset();
            }
            long lag = Math.max(0, ends.get(partition).offset() - position);
            gauge(entry, partition).set(lag);
            total += lag;
        }
        totals.put(entry, total);
    }

    private Map<TopicPartition, ListOffsetsResultInfo> listOffsets(Set<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        return admin.listOffsets(request).all().get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private AtomicLong gauge(Watched entry, TopicPartition partition) {
        return lagByPartition.computeIfAbsent(entry.group() + "\u0000" + partition, key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(LAG, value, AtomicLong::get)
                    .tags("group", entry.group(), "topic", partition.topic(),
                            "partition", String.valueOf(partition.partition()))
                    .description("Records of the partition not yet committed by the consumer group")
                    .register(registry);
            return value;
        });
    }
}
