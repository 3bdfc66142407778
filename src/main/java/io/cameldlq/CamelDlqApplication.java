package io.cameldlq;

import java.util.Arrays;

import org.apache.camel.main.Main;
import org.apache.camel.main.MainHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.cli.CommandLineTool;
import io.cameldlq.config.ApplicationSetup;
import io.cameldlq.config.PipelineBeans;
import io.cameldlq.route.TaskProcessingErrorPolicy;
import io.cameldlq.route.TaskProcessingRoute;

/**
 * Entry point. Without a command it runs the pipeline with Camel Main; with a command (such as
 * {@code send}) it runs that command and exits.
 */
public final class CamelDlqApplication {

    /** Configuration in the working directory first, then the copy packaged in the jar. */
    public static final String PROPERTIES_LOCATIONS =
            "file:application.properties;optional=true,classpath:application.properties;optional=true";

    private static final Logger LOG = LoggerFactory.getLogger(CamelDlqApplication.class);

    private CamelDlqApplication() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.exit(CommandLineTool.run(args));
        }
        int exitCode;
        try {
            exitCode = createMain(args).run(args);
        } catch (Exception e) {
            LOG.error("camel-dlq stopped: {}", rootMessage(e));
            LOG.debug("Start-up failure", e);
            exitCode = 1;
        }
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /**
     * Creates the Camel Main of the pipeline. The profile is {@code prod} unless {@code -profile NAME},
     * the system property or the environment variable {@code camel.main.profile} selects another.
     */
    public static Main createMain(String... args) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PROPERTIES_LOCATIONS);
        boolean profileArgument = Arrays.stream(args).anyMatch(arg -> arg.equals("-profile") || arg.equals("-pro"));
        if (!profileArgument && MainHelper.lookupPropertyFromSysOrEnv("camel.main.profile").isEmpty()) {
            main.configure().withProfile("prod");
        }
        main.configure().addConfiguration(PipelineBeans.class);
        main.configure().addRoutesBuilder(new TaskProcessingErrorPolicy());
        main.configure().addRoutesBuilder(new TaskProcessingRoute());
        main.addMainListener(new ApplicationSetup());
        return main;
    }

    /**
     * Returns the most specific message of a start-up failure: skips the wrappers whose message only
     * repeats their cause, as Camel's {@code RuntimeCamelException} does.
     */
    static String rootMessage(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current
                && (current.getMessage() == null || current.getMessage().equals(current.getCause().toString()))) {
            current = current.getCause();
        }
        return current.getMessage() == null ? current.getClass().getName() : current.getMessage();
    }
}
