package io.cameldlq;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.main.Main;
import org.apache.camel.main.MainHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.cli.CommandLineTool;
import io.cameldlq.config.ApplicationSetup;
import io.cameldlq.config.InvalidSettingException;
import io.cameldlq.config.PipelineBeans;
import io.cameldlq.config.SettingSources;
import io.cameldlq.deadletter.DeadLetterPartitions;
import io.cameldlq.route.NonBlockingRetryErrorPolicy;
import io.cameldlq.route.TaskProcessingErrorPolicy;
import io.cameldlq.route.TaskProcessingRetryRoute;
import io.cameldlq.route.TaskProcessingRoute;

/**
 * Entry point. Without a command it runs the pipeline with Camel Main; with a command (such as
 * {@code send}) it runs that command and exits.
 */
public final class CamelDlqApplication {

    /** Configuration in the working directory first, then the copy packaged in the jar. */
    public static final String PROPERTIES_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    /** Options that show the commands' help or version instead of starting the pipeline. */
    private static final List<String> TOOL_OPTIONS = List.of("-h", "--help", "-V", "--version");
    private static final String SIMPLE_LOGGER_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final String SIMPLE_LOGGER_KAFKA_LEVEL = "org.slf4j.simpleLogger.log.org.apache.kafka";
    private static final String KAFKA_ENVIRONMENT_PREFIX = "CAMEL_COMPONENT_KAFKA_";

    private CamelDlqApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (!args[0].startsWith("-") || TOOL_OPTIONS.contains(args[0]))) {
            // A command prints its own results; Camel's and Kafka's start-up lines would only bury them.
            for (String level : List.of(SIMPLE_LOGGER_LEVEL, SIMPLE_LOGGER_KAFKA_LEVEL)) {
                if (System.getProperty(level) == null) {
                    System.setProperty(level, "error");
                }
            }
            System.exit(CommandLineTool.run(args));
        }
        Main main = null;
        SettingSources sources = new SettingSources();
        int exitCode;
        try {
            main = createMain(sources, args);
            exitCode = main.run(args);
        } catch (Exception e) {
            // Looked up here, not in a static field, so that a command can set the log level first.
            Logger log = LoggerFactory.getLogger(CamelDlqApplication.class);
            log.error("camel-dlq stopped: {}", rootMessage(e, sources));
            log.debug("Start-up failure", e);
            exitCode = 1;
        }
        if (exitCode != 0) {
            if (main != null) {
                // Otherwise Camel's shutdown hook reports this exit as a SIGTERM and waits for the context.
                main.getShutdownStrategy().shutdown();
            }
            System.exit(exitCode);
        }
    }

    /**
     * Creates the Camel Main of the pipeline. The profile is {@code prod} unless {@code -profile NAME},
     * the system property or the environment variable {@code camel.main.profile} selects another.
     */
    public static Main createMain(String... args) {
        return createMain(new SettingSources(), args);
    }

    /** Creates the Camel Main of the pipeline, which records in {@code sources} where its settings come from. */
    static Main createMain(SettingSources sources, String... args) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTIES_LOCATIONS);
        boolean profileArgument = Arrays.stream(args).anyMatch(arg -> arg.equals("-profile") || arg.equals("-pro"));
        if (!profileArgument && MainHelper.lookupPropertyFromSysOrEnv("camel.main.profile").isEmpty()) {
            main.configure().withProfile("prod");
        }
        applyKafkaEnvironment(main, System.getenv());
        main.configure().addConfiguration(PipelineBeans.class);
        DeadLetterPartitions deadLetterPartitions = new DeadLetterPartitions();
        main.configure().addRoutesBuilder(new TaskProcessingErrorPolicy(deadLetterPartitions));
        main.configure().addRoutesBuilder(new NonBlockingRetryErrorPolicy(deadLetterPartitions));
        main.configure().addRoutesBuilder(new TaskProcessingRoute());
        main.configure().addRoutesBuilder(new TaskProcessingRetryRoute());
        main.addMainListener(new ApplicationSetup(deadLetterPartitions, sources));
        return main;
    }

    /**
     * Applies environment variables {@code CAMEL_COMPONENT_KAFKA_OPTION_NAME} as
     * {@code camel.component.kafka.option-name}, over system properties and application.properties, which is
     * the order Camel uses for placeholders. Camel Main 4.18 reads such variables only for placeholders, not
     * for component options, so without this {@code CAMEL_COMPONENT_KAFKA_BROKERS} would lose to the file.
     */
    static void applyKafkaEnvironment(Main main, Map<String, String> environment) {
        environment.forEach((name, value) -> {
            if (name.startsWith(KAFKA_ENVIRONMENT_PREFIX) && name.length() > KAFKA_ENVIRONMENT_PREFIX.length()) {
                String option = name.substring(KAFKA_ENVIRONMENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                main.addOverrideProperty("camel.component.kafka." + option, value);
            }
        });
    }

    /**
     * Returns the messages of a start-up failure and its causes, joined, without the wrappers whose message
     * only repeats their cause (as Camel's {@code RuntimeCamelException} does). The causes often carry the
     * detail that matters, such as the line of a YAML syntax error.
     */
    static String rootMessage(Throwable failure) {
        return rootMessage(failure, new SettingSources());
    }

    /** As {@link #rootMessage(Throwable)}, adding where an invalid setting's value comes from when known. */
    static String rootMessage(Throwable failure, SettingSources sources) {
        for (Throwable current = failure; current != null && current.getCause() != current;
                current = current.getCause()) {
            if (current instanceof InvalidSettingException invalid) {
                // It names the key, the value and the rule; Camel's wrappers only add the bean's identity.
                return sources.describe(invalid.key())
                        .map(origin -> invalid.getMessage() + ". " + origin)
                        .orElse(invalid.getMessage());
            }
        }
        StringBuilder text = new StringBuilder();
        for (Throwable current = failure; current != null; current = current.getCause()) {
            String message = current.getMessage();
            if (message != null && current instanceof ReflectiveOperationException) {
                // Such messages are a bare class or member name, so the exception type is added to explain them.
                message = current.getClass().getSimpleName() + ": " + message;
            }
            boolean repeatsCause = current.getCause() != null && message != null
                    && message.equals(current.getCause().toString());
            if (message != null && !repeatsCause && text.indexOf(message) < 0) {
                if (text.length() > 0 && text.charAt(text.length() - 1) == '.') {
                    // The cause continues the sentence, as in "broker: Address already in use".
                    text.setLength(text.length() - 1);
                }
                text.append(text.length() == 0 ? "" : ": ").append(message.strip());
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return text.length() == 0 ? failure.getClass().getName() : text.toString();
    }
}
