package io.cameldlq.deadletter.log;

import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;

/**
 * Bean of the dead-letter-log route: replaces the message body with the record's log line and removes
 * every header, so that no header of the record (such as {@code CamelFileName}) reaches the file producer.
 */
public class DeadLetterLogFormatter {

    private final Clock clock;

    public DeadLetterLogFormatter() {
        this(Clock.systemUTC());
    }

    public DeadLetterLogFormatter(Clock clock) {
        this.clock = clock;
    }

    @Handler
    public void format(Exchange exchange) {
        String line = DeadLetterLogLine.of(exchange, clock).format();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setBody(line);
    }
}
