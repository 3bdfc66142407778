package io.cameldlq.deadletter.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.metrics.PipelineMetrics;

/**
 * Bean of the dead-letter-log route. {@link #format} replaces the message body with the record's log line
 * and removes every header, so that no header of the record (such as {@code CamelFileName}) reaches the
 * file producer. A record whose original already has a line is skipped: the route stops for it and its
 * offset is committed. {@link #markWritten} runs after the append.
 */
public class DeadLetterLogFormatter {

    /** Exchange property with the {@link LoggedRecords} key of the line being written. */
    static final String KEY_PROPERTY = "camelDlqLoggedRecordKey";
    /** Exchange property with the length in bytes of the line being written. */
    static final String LINE_BYTES_PROPERTY = "camelDlqLogLineBytes";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLogFormatter.class);

    private final LoggedRecords loggedRecords;
    private final Clock clock;
    private final boolean json;
    private final int maxValueBytes;
    private final boolean redact;
    private final PipelineMetrics metrics;

    public DeadLetterLogFormatter(LoggedRecords loggedRecords, Clock clock, PipelineMetrics metrics) {
        this(loggedRecords, clock, false, Integer.MAX_VALUE, false, metrics);
    }

    /**
     * @param json          write JSON Lines instead of the text line
     * @param maxValueBytes longest value written; a longer one is cut and its original length noted
     * @param redact        leave key and value out, for sensitive payloads
     * @param metrics       counts the lines written
     */
    public DeadLetterLogFormatter(LoggedRecords loggedRecords, Clock clock, boolean json, int maxValueBytes,
            boolean redact, PipelineMetrics metrics) {
        this.loggedRecords = loggedRecords;
        this.clock = clock;
        this.json = json;
        this.maxValueBytes = maxValueBytes;
        this.redact = redact;
        this.metrics = metrics;
    }

    @Handler
    public void format(Exchange exchange) {
        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, clock);
        String key = LoggedRecords.keyOf(line);
        if (loggedRecords.contains(key)) {
            LOG.info("Dead letter of record {}-{}@{} is already in the dead-letter log; not writing it again",
                    line.topic(), line.partition(), line.offset());
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(KEY_PROPERTY, key);
        exchange.getMessage().removeHeaders("*");
        DeadLetterLogLine written = line.limitedTo(maxValueBytes, redact);
        String text = json ? written.formatJson() : written.format();
        exchange.setProperty(LINE_BYTES_PROPERTY, text.getBytes(StandardCharsets.UTF_8).length);
        exchange.getMessage().setBody(text);
    }

    /** Remembers the line of this exchange as written; called after the append succeeded. */
    public void markWritten(Exchange exchange) {
        String key = exchange.getProperty(KEY_PROPERTY, String.class);
        if (key != null) {
            loggedRecords.add(key, exchange.getProperty(LINE_BYTES_PROPERTY, 0, Integer.class));
            metrics.recordLogLineWritten();
        }
    }
}
