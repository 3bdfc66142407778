package io.cameldlq.route;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.FailedAttemptRecorder;
import io.cameldlq.metrics.PipelineMetrics;

/**
 * Waits the redelivery delay before a retry while keeping the Kafka consumer in its group.
 *
 * <p>Retries run on the consumer thread. A plain sleep would let a run of failing records exceed
 * {@code max.poll.interval.ms}, so the broker would evict the consumer, rebalance the group and hand the
 * records to another member, which processes them again. Instead this pauses every assigned partition and
 * calls {@code poll} during the delay: paused partitions return no records, and each poll shows the group
 * coordinator the consumer is alive. A partition assigned by a rebalance during the wait is not paused,
 * so records it returns are not processed here: the consumer seeks back to them.
 *
 * <p>The task-processing-retry route waits for the due time of a record from the retry topic the same way.
 */
public class ConsumerKeepingRedeliveryDelay implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerKeepingRedeliveryDelay.class);
    private static final long MAX_POLL_MS = 200;

    private final RetryPolicy policy;
    private final PipelineMetrics metrics;

    public ConsumerKeepingRedeliveryDelay(RetryPolicy policy, PipelineMetrics metrics) {
        this.policy = policy;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        metrics.recordRedelivery();
        int retry = exchange.getProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY, 1, Integer.class);
        waitKeepingConsumer(exchange, policy.delayBeforeRetry(retry), () -> false);
    }

    /**
     * Waits {@code delayMs} on the thread of the Kafka consumer that consumed {@code exchange}, with its
     * partitions paused and the consumer polling, until the time is up or {@code stopRequested} returns true.
     * An exchange not consumed by camel-kafka with manual commits, e.g. a route under test, sleeps instead.
     *
     * @return true if the whole delay passed, false if the wait ended early because a stop was requested
     */
    public static boolean waitKeepingConsumer(Exchange exchange, long delayMs, BooleanSupplier stopRequested)
            throws InterruptedException {
        if (delayMs <= 0) {
            return true;
        }
        Object manualCommit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT);
        if (!(manualCommit instanceof DefaultKafkaManualCommit commit)
                || commit.getCamelExchangePayload().consumer == null) {
            return sleep(delayMs, stopRequested);
        }
        return waitPolling(commit.getCamelExchangePayload().consumer, delayMs, stopRequested);
    }

    private static boolean sleep(long delayMs, BooleanSupplier stopRequested) throws InterruptedException {
        long deadline = System.nanoTime() + delayMs * 1_000_000;
        for (long remaining = delayMs; remaining > 0; remaining = remainingMs(deadline)) {
            if (stopRequested.getAsBoolean()) {
                return false;
            }
            Thread.sleep(Math.min(remaining, MAX_POLL_MS));
        }
        return true;
    }

    private static boolean waitPolling(Consumer<?, ?> consumer, long delayMs, BooleanSupplier stopRequested) {
        Set<TopicPartition> pausedHere = new HashSet<>(consumer.assignment());
        pausedHere.removeAll(consumer.paused());
        consumer.pause(pausedHere);
        try {
            long deadline = System.nanoTime() + delayMs * 1_000_000;
            for (long remaining = delayMs; remaining > 0; remaining = remainingMs(deadline)) {
                if (stopRequested.getAsBoolean()) {
                    return false;
                }
                ConsumerRecords<?, ?> records = consumer.poll(Duration.ofMillis(Math.min(remaining, MAX_POLL_MS)));
                if (!records.isEmpty()) {
                    seekBack(consumer, records);
                }
            }
            return true;
        } finally {
            Set<TopicPartition> stillAssigned = new HashSet<>(pausedHere);
            stillAssigned.retainAll(consumer.assignment());
            consumer.resume(stillAssigned);
        }
    }

    /** Returns the milliseconds left until {@code deadline} ({@link System#nanoTime}), rounded up. */
    private static long remainingMs(long deadline) {
        long remainingNanos = deadline - System.nanoTime();
        return remainingNanos <= 0 ? 0 : (remainingNanos + 999_999) / 1_000_000;
    }

    /** Returns records polled from a newly assigned partition to the consumer, unprocessed. */
    private static void seekBack(Consumer<?, ?> consumer, ConsumerRecords<?, ?> records) {
        for (TopicPartition partition : records.partitions()) {
            ConsumerRecord<?, ?> first = records.records(partition).get(0);
            consumer.seek(partition, first.offset());
            LOG.debug("Partition {} was assigned during a redelivery delay; seeking back to offset {}", partition,
                    first.offset());
        }
    }
}
