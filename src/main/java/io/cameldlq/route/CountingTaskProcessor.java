package io.cameldlq.route;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.spi.CamelLogger;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.support.service.ServiceHelper;

import io.cameldlq.deadletter.RecordCoordinates;
import io.cameldlq.metrics.PipelineMetrics;

/**
 * Runs the task processor bean named by {@code task-processing.processor} and, when it succeeds, counts the
 * record as processed and logs it at {@code task-processing.processed-log-level}.
 *
 * <p>One route step instead of three: Camel wraps each step of a route in the error handler, and the
 * dead-letter channel copies the exchange in each one in case it redelivers there.
 */
public class CountingTaskProcessor extends AsyncProcessorSupport {

    private final CamelContext camelContext;
    private final String processorName;
    private final PipelineMetrics metrics;
    private final CamelLogger logger;
    private final String suffix;
    private AsyncProcessor processor;

    /**
     * @param processorName the bean name of the task processor; property placeholders are resolved
     * @param logName       the logger of the processed-record lines
     * @param suffix        text appended to each processed-record line, e.g. where the record came from
     */
    public CountingTaskProcessor(CamelContext camelContext, String processorName, String logName, LoggingLevel level,
            String suffix) {
        this.camelContext = camelContext;
        this.processorName = processorName;
        this.metrics = PipelineMetrics.of(camelContext);
        this.logger = new CamelLogger(logName, level);
        this.suffix = suffix;
    }

    @Override
    protected void doInit() throws Exception {
        String name = camelContext.resolvePropertyPlaceholders(processorName);
        processor = AsyncProcessorConverterHelper.convert(
                CamelContextHelper.mandatoryLookup(camelContext, name, Processor.class));
        ServiceHelper.initService(processor);
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(processor);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(processor);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        return processor.process(exchange, doneSync -> {
            if (exchange.getException() == null) {
                metrics.recordProcessed();
                if (logger.shouldLog()) {
                    logger.log("Processed record " + RecordCoordinates.of(exchange.getMessage()) + suffix);
                }
            }
            callback.done(doneSync);
        });
    }

    @Override
    public String toString() {
        return "CountingTaskProcessor[" + processorName + "]";
    }
}
