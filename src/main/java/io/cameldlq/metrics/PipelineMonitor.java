package io.cameldlq.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures consumer lag on a schedule and logs one INFO summary line per interval, in place of a line per
 * record: what was processed, failed, dead-lettered and logged in the interval, and the lag of each group.
 * A service of the Camel context, so it starts and stops with it.
 */
public final class PipelineMonitor extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineMonitor.class);
    /** Maximum wait for the broker to respond during one lag measurement, in milliseconds. */
    private static final int LAG_TIMEOUT_MS = 5_000;

    private final CamelContext context;
    private final PipelineMetrics metrics;
    private final Properties adminProperties;
    private final List<ConsumerLagMonitor.Watched> watched;
    private final long lagIntervalMs;
    private final long summaryIntervalMs;
    private Admin admin;
    private ConsumerLagMonitor lag;
    private ScheduledExecutorService scheduler;
    private PipelineMetrics.Totals previous;

    /**
     * @param adminProperties   settings of the Admin client that measures lag
     * @param watched           the consumer groups whose lag is measured
     * @param lagIntervalMs     time between two lag measurements, in milliseconds; 0 measures no lag
     * @param summaryIntervalMs time between two summary lines, in milliseconds; 0 logs none
     */
    public PipelineMonitor(CamelContext context, PipelineMetrics metrics, Properties adminProperties,
            List<ConsumerLagMonitor.Watched> watched, long lagIntervalMs, long summaryIntervalMs) {
        this.context = context;
        this.metrics = metrics;
        this.adminProperties = adminProperties;
        this.watched = List.copyOf(watched);
        this.lagIntervalMs = lagIntervalMs;
        this.summaryIntervalMs = summaryIntervalMs;
    }

    @Override
    protected void doStart() {
        if (lagIntervalMs == 0 && summaryIntervalMs == 0) {
            return;
        }
        scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "PipelineMonitor");
        if (lagIntervalMs > 0) {
            Properties properties = new Properties();
            properties.putAll(adminProperties);
            properties.put("default.api.timeout.ms", LAG_TIMEOUT_MS);
            properties.put("request.timeout.ms", LAG_TIMEOUT_MS);
            admin = Admin.create(properties);
            lag = new ConsumerLagMonitor(admin, metrics.registry(), watched, LAG_TIMEOUT_MS);
            scheduler.scheduleWithFixedDelay(this::refreshLag, 0, lagIntervalMs, TimeUnit.MILLISECONDS);
        }
        if (summaryIntervalMs > 0) {
            previous = metrics.totals();
            scheduler.scheduleAtFixedRate(this::logSummary, summaryIntervalMs, summaryIntervalMs,
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            context.getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    private void refreshLag() {
        try {
            lag.refresh();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again.
            LOG.warn("Consumer lag measurement failed: {}", e.toString());
        }
    }

    private void logSummary() {
        try {
            PipelineMetrics.Totals now = metrics.totals();
            LOG.info("{}", summary(summaryIntervalMs, now.minus(previous), now, lag == null ? null : lag.totals(),
                    lag != null && lag.isStale()));
            previous = now;
        } catch (RuntimeException e) {
            LOG.warn("Summary line failed: {}", e.toString());
        }
    }

    /**
     * Returns the summary line.
     *
     * @param interval the counters' growth during the interval
     * @param total    the counters since start
     * @param lag      the last measured lag of each group, or null when lag is not measured
     * @param stale    whether the last lag measurement failed
     */
    static String summary(long intervalMs, PipelineMetrics.Totals interval, PipelineMetrics.Totals total,
            Map<ConsumerLagMonitor.Watched, Long> lag, boolean stale) {
        StringBuilder line = new StringBuilder();
        line.append("Last ").append(TimeUnit.MILLISECONDS.toSeconds(intervalMs)).append(" s: ")
                .append(interval.processed()).append(" processed, ")
                .append(interval.failedAttempts()).append(" failed attempts, ")
                .append(interval.deadLettered()).append(" dead-lettered, ")
                .append(interval.publishFailures()).append(" dead-letter publish failures, ")
                .append(interval.logLinesWritten()).append(" log lines written, ")
                .append(interval.logWriteFailures()).append(" log write failures");
        if (lag != null) {
            if (lag.isEmpty()) {
                line.append("; consumer lag not measured yet");
            } else {
                StringJoiner groups = new StringJoiner(", ");
                lag.forEach((watched, records) -> groups.add(watched.group() + " " + records));
                line.append("; consumer lag").append(stale ? " (broker not answering, last known)" : "")
                        .append(": ").append(groups);
            }
        }
        line.append("; since start: ").append(total.processed()).append(" processed, ")
                .append(total.deadLettered()).append(" dead-lettered");
        return line.toString();
    }
}
